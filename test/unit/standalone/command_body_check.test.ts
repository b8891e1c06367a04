import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'node:querystring';
import fc from 'fast-check';
import { credentialFields, parseCommandBody, schemaAnswers, subcommandNameOf } from '../../../src/hosts/standalone/commands/command_body.js';

const FIELDS = [
  'token',
  'team_id',
  'team_domain',
  'channel_id',
  'channel_name',
  'user_id',
  'user_name',
  'command',
  'text',
  'trigger_id',
  'root_id',
  'response_url',
];

/** Strings near every limit of the schema: ids and near-ids, empty, long, unicode, whitespace. */
const id = fc.stringMatching(/^[a-z0-9]{26}$/);
const nearId = fc.oneof(fc.stringMatching(/^[a-z0-9A-Z_]{25,27}$/), fc.constant(''), fc.constant('U'.repeat(26)));
/** Lengths at and around each of the schema's limits. */
const sized = fc
  .tuple(fc.constantFrom(0, 1, 2, 64, 128, 130, 1024, 2048, 16_384), fc.constantFrom(-1, 0, 1), fc.constantFrom('a', 'é', ' ', '\u{10000}'))
  .map(([limit, delta, c]) => c.repeat(Math.max(0, limit + delta)));
const text = fc.oneof(
  { arbitrary: sized, weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom('status', '  WHOAMI  github ', '\n\thelp', ''), weight: 1 },
);
/** As querystring gives a field: absent, one string, or repeated (an array). */
const value = fc.oneof(
  { arbitrary: fc.oneof(id, nearId, text), weight: 8 },
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.array(fc.oneof(id, text), { minLength: 2, maxLength: 3 }), weight: 1 },
);
const body = fc
  .record(Object.fromEntries(FIELDS.map((f) => [f, value])) as Record<string, typeof value>, { requiredKeys: [] })
  .chain((fields) => fc.constantFrom(fields, { ...fields, __proto__: 'x', constructor: 'y' }))
  .map((fields) => Object.assign(Object.create(null) as Record<string, unknown>, JSON.parse(JSON.stringify(fields)) as Record<string, unknown>));
/** Mostly valid bodies: every field right, then one or two replaced. */
const valid = fc.record({ team_id: id, channel_id: id, user_id: id, root_id: fc.oneof(id, fc.constant('')), text, trigger_id: fc.string({ maxLength: 300 }) });
const replaced = fc.tuple(fc.constantFrom(...FIELDS), fc.oneof({ arbitrary: sized, weight: 3 }, { arbitrary: value, weight: 1 }));
const nearlyValid = fc.tuple(valid, fc.array(replaced, { maxLength: 2 })).map(([good, changes]) => {
  const merged: Record<string, unknown> = {
    token: 'k'.repeat(26),
    command: '/oauth2',
    team_domain: 'team',
    channel_name: 'town-square',
    user_name: 'jane',
    ...good,
  };
  for (const [field, v] of changes) merged[field] = v;
  return JSON.parse(JSON.stringify(merged)) as unknown;
});
const bodies = fc.oneof({ arbitrary: nearlyValid, weight: 4 }, { arbitrary: body, weight: 1 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });

describe('standalone command body: the hand-written checks', () => {
  it('when a whole form is valid, then both checks pass it (the hand-written path is the one taken)', () => {
    const form = parse(`token=k&command=%2Foauth2&text=+Status+github&team_id=${'t'.repeat(26)}&channel_id=${'c'.repeat(26)}&user_id=${'u'.repeat(26)}`);
    assert.deepEqual(credentialFields(form), { token: 'k', team_id: 't'.repeat(26), user_id: 'u'.repeat(26), trigger_id: '' });
    const parsed = parseCommandBody(form);
    assert.ok('request' in parsed);
    assert.equal(parsed.request.subcommand, 'status');
    assert.deepEqual(parsed.request.args, ['github']);
  });

  it('when any body is checked, then the credentials are exactly what the schema gives', () => {
    fc.assert(
      fc.property(bodies, (b) => {
        assert.deepEqual(credentialFields(b), schemaAnswers.credentials(b));
      }),
      { numRuns: 3000 },
    );
  });

  it('when any body is parsed, then the request is the schema’s fields with the text split, or a problem exactly when the schema refuses it', () => {
    fc.assert(
      fc.property(bodies, (b) => {
        const fields = schemaAnswers.fields(b);
        const parsed = parseCommandBody(b);
        if (!fields) return assert.ok('problem' in parsed);
        assert.ok('request' in parsed);
        const { token: _token, ...rest } = fields;
        const words = rest.text
          .trim()
          .split(/\s+/)
          .filter((w) => w !== '');
        assert.deepEqual(parsed.request, { ...rest, subcommand: (words[0] ?? '').toLowerCase(), args: words.slice(1) });
        assert.equal(subcommandNameOf(b), parsed.request.subcommand);
      }),
      { numRuns: 3000 },
    );
  });

  it('when a field is repeated in the form, then the body is refused with the schema’s reason', () => {
    const ids = `team_id=${'t'.repeat(26)}&channel_id=${'c'.repeat(26)}&user_id=${'u'.repeat(26)}&user_id=${'v'.repeat(26)}`;
    const form = parse(`token=k&command=%2Foauth2&text=status&${ids}`);
    assert.equal(credentialFields(form), undefined);
    const parsed = parseCommandBody(form);
    assert.ok('problem' in parsed);
    assert.match(parsed.problem, /user_id/);
  });
});
