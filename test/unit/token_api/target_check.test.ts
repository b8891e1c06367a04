/**
 * The token API's target checked by hand (target.ts plainTarget) and by its
 * zod schema agree: a body the hand check passes gives exactly what the
 * schema gives, and parseTarget answers every body as the schema alone would
 * (the same target, or invalid_request with the same message). Bodies are
 * drawn near every limit: ids and near-ids, scopes around 1000 characters,
 * non-ASCII, wrong types, extra keys.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TokenApiError } from '../../../src/hosts/standalone/token_api/api_error.js';
import { parseTarget, plainTarget, TARGET, wellFormedTarget } from '../../../src/hosts/standalone/token_api/target.js';

const userId = fc.oneof(fc.stringMatching(/^[a-z0-9]{26}$/), fc.stringMatching(/^[a-z0-9A-Z_]{25,27}$/), fc.constant(''));
const providerId = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,33}$/), fc.constantFrom('-idp', 'IdP', '', 'a'.repeat(32), 'a'.repeat(33)));
const scope = fc.oneof(
  fc.tuple(fc.constantFrom(0, 1, 999, 1000, 1001), fc.constantFrom('a', ' ', 'é', '\u{10000}', '\n')).map(([n, c]) => c.repeat(n)),
  fc.string({ maxLength: 30 }),
  fc.constant(undefined),
);
const anyValue = fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }));
/** As JSON.parse gives a request's body (no undefined values; undefined alone: no body at all). */
const body = fc
  .oneof(
    {
      arbitrary: fc.record(
        { user_id: fc.oneof(userId, anyValue), provider: fc.oneof(providerId, anyValue), scope: fc.oneof(scope, anyValue), extra: fc.string() },
        { requiredKeys: [] },
      ),
      weight: 8,
    },
    { arbitrary: fc.oneof(anyValue, fc.string()), weight: 1 },
  )
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const bodies = fc.oneof({ arbitrary: body, weight: 20 }, { arbitrary: fc.constant(undefined), weight: 1 });

const schemaAnswer = (value: unknown) => {
  const parsed = TARGET.safeParse(value);
  return parsed.success ? { data: parsed.data } : { error: parsed.error.issues[0]?.message };
};

describe('the token target checked by hand', () => {
  it('when the hand check passes a body, then it gives what the schema gives; parseTarget answers every body as the schema does', () => {
    fc.assert(
      fc.property(bodies, (value) => {
        const plain = plainTarget(value);
        const schema = schemaAnswer(value);
        if (plain) assert.deepEqual({ data: plain }, schema);
        assert.deepEqual(wellFormedTarget(value), schema.data);
        try {
          assert.deepEqual(parseTarget(value), schema.data);
        } catch (err) {
          assert.ok(err instanceof TokenApiError && err.code === 'invalid_request' && schema.error !== undefined, String(err));
          assert.ok(err.message.includes(schema.error), `${err.message} / ${schema.error}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('when the body is the common one, then the hand check passes it (the schema is not asked)', () => {
    const target = { user_id: 'a'.repeat(26), provider: 'github', scope: 'repo read:user' };
    assert.deepEqual(plainTarget(target), target);
    assert.deepEqual(plainTarget({ user_id: 'a'.repeat(26), provider: 'github', other: 1 }), { user_id: 'a'.repeat(26), provider: 'github' });
    assert.equal(plainTarget({ ...target, scope: 'é' }), undefined, 'non-ASCII goes to the schema');
  });
});
