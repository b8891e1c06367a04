import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallBody, isCallBody } from '../../../src/hosts/apps/protocol/call_schema.js';
import { parseCallRequest } from '../../../src/hosts/apps/http/parse_call.js';
import { anyInput } from '../../security/support/fuzz_requests.js';
import { formValue, providerRecord, str } from '../../security/support/fuzz_values.js';
import { passesProviderRecord, ProviderRecord } from '../../../src/core/record_schemas.js';

/** A field that is usually of the right kind, and sometimes any other JSON or absent. */
const json = fc.jsonValue({ maxDepth: 3 });
const maybe = (right: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: json, weight: 1 }, { arbitrary: fc.constant(null), weight: 1 });
const text = maybe(str);
const user = maybe(fc.record({ id: maybe(str), roles: text, username: str }, { requiredKeys: [] }));
const oauth2 = maybe(
  fc.record({ connect_url: text, complete_url: text, client_id: text, client_secret: text, remote_root_url: text, data: json }, { requiredKeys: [] }),
);
const context = maybe(
  fc.record(
    { mattermost_site_url: text, bot_user_id: text, bot_access_token: text, acting_user_access_token: text, acting_user: user, oauth2, app_id: json },
    { requiredKeys: [] },
  ),
);
const valuesRecord = maybe(fc.dictionary(fc.oneof(str, fc.constant('__proto__')), formValue, { maxKeys: 6 }));
const nearlyValid = fc.record(
  { context, values: valuesRecord, expand: maybe(fc.object()), raw_command: text, selected_field: text, query: text, state: json },
  { requiredKeys: [] },
);

/** Nesting depth, without recursion. */
function depth(value: unknown): number {
  let level = 0;
  for (let layer = [value]; layer.length > 0; level += 1) layer = layer.flatMap((v) => (typeof v === 'object' && v !== null ? Object.values(v) : []));
  return level;
}

/** Bodies as the App gets them: JSON text parsed by express.json. Deep junk (fuzz_values' `deep`) would only overflow the comparisons. */
const bodies = fc
  .oneof(
    nearlyValid.map((b) => JSON.parse(JSON.stringify(b)) as unknown),
    nearlyValid.map(
      (b) =>
        JSON.parse(
          JSON.stringify(b).replace(/"(values|context|acting_user|oauth2)":\{(\}?)/, (_, k: string, end: string) => `"${k}":{"__proto__":{"x":1}${end || ','}`),
        ) as unknown,
    ),
    anyInput({ siteUrl: 'http://127.0.0.1:1', issuers: ['http://127.0.0.1:2'], sealedSecret: 'v1.k1.AAAA.BBBB', clientId: 'c' })
      .map((input) => {
        try {
          return JSON.parse(input.body) as unknown;
        } catch {
          return undefined;
        }
      })
      .filter((b) => b !== undefined),
  )
  .filter((b) => depth(b) < 40);

/** The shape of the plugin's /bindings call (manifest expand: acting_user summary, the user's token, oauth2_app, oauth2_user). */
const PLUGIN_BINDINGS_CALL = JSON.stringify({
  path: '/bindings',
  expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
  context: {
    app_id: '',
    mattermost_site_url: 'https://mm.example.com',
    bot_user_id: 'b9rwq4mzt1ckdx7pnfa3yes8gh',
    bot_access_token: 'botxxxxxxxxxxxxxxxxxxxxxxx',
    acting_user: { id: 'u7k3mfq9zbdn8xw1ceyr4tjahs', username: 'jane', roles: 'system_user', timezone: { useAutomaticTimezone: 'true' }, notify_props: null },
    acting_user_access_token: 'usrxxxxxxxxxxxxxxxxxxxxxxx',
    oauth2: { client_id: 'oauth2-connect', client_secret: '', data: { v: 1, providers: [{ id: 'github' }] }, user: { v: 1, connections: {} } },
  },
});
const PLUGIN_SUBMIT = JSON.stringify({
  path: '/status',
  values: { provider: { label: 'GitHub', value: 'github' }, force: true },
  raw_command: '/oauth2 status',
  context: {},
});

const zodAnswer = (body: unknown) => {
  try {
    const parsed = CallBody.safeParse(structuredClone(body));
    return parsed.success ? { data: parsed.data } : { issue: parsed.error.issues[0]!.message };
  } catch (err) {
    return { thrown: String(err) };
  }
};

describe('the hand-written checks of the /bindings hot path against their zod schemas', () => {
  it('when a body passes the fast check, then zod accepts it too and returns an equal value; the bench bodies take the fast path', () => {
    const seen = { fast: 0, zodOnly: 0, refused: 0 };
    fc.assert(
      fc.property(bodies, (body) => {
        const zod = zodAnswer(body);
        if (isCallBody(body)) {
          seen.fast += 1;
          assert.deepStrictEqual(zod, { data: body });
        } else if ('data' in zod) seen.zodOnly += 1;
        else seen.refused += 1;
      }),
      { numRuns: 3000 },
    );
    // The property means something only when both branches were walked.
    assert.ok(seen.fast > 300 && seen.refused > 300, JSON.stringify(seen));
    for (const raw of [PLUGIN_BINDINGS_CALL, PLUGIN_SUBMIT]) assert.equal(isCallBody(JSON.parse(raw)), true);
  });

  it('when a body is refused, then parseCallRequest answers with the zod issue text; when accepted, with the same request either way', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const copy = structuredClone(body);
        let fast: unknown;
        try {
          fast = parseCallRequest(body, '/p');
        } catch (err) {
          fast = { error: (err as Error).message };
        }
        const parsed = typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? CallBody.safeParse(copy) : undefined;
        if (parsed?.success) assert.equal(typeof (fast as { path?: string }).path, 'string');
        else assert.ok('error' in (fast as object), 'refused by zod, refused here');
      }),
      { numRuns: 1000 },
    );
  });

  it('when a value is an own __proto__ key, then zod decides (it drops the key), and the request has no such value', () => {
    const body = JSON.parse('{"values":{"__proto__":"x","provider":"github"},"context":{}}') as unknown;
    assert.equal(isCallBody(body), false);
    const request = parseCallRequest(body, '/p');
    assert.deepEqual(Object.keys(request.values!), ['provider']);
  });

  it('when a provider record passes the fast check, then ProviderRecord accepts it too', () => {
    const targets = { siteUrl: 'http://127.0.0.1:1', issuers: ['http://127.0.0.1:2'], sealedSecret: 'v1.k1.AAAA.BBBB', clientId: 'c' };
    const records = fc
      .oneof(providerRecord(targets), json)
      .map((r) => JSON.parse(JSON.stringify(r) ?? 'null') as unknown)
      .filter((r) => depth(r) < 40);
    const seen = { fast: 0, zodOnly: 0, refused: 0 };
    fc.assert(
      fc.property(records, (record) => {
        const zod = ProviderRecord.safeParse(structuredClone(record)).success;
        if (passesProviderRecord(record)) {
          seen.fast += 1;
          assert.equal(zod, true);
        } else if (zod) seen.zodOnly += 1;
        else seen.refused += 1;
      }),
      { numRuns: 3000 },
    );
    assert.ok(seen.fast > 300 && seen.refused > 300, JSON.stringify(seen));
  });
});
