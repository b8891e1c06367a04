/**
 * Whole fuzzed calls, in three classes with different expectations:
 * - jwt: a broken JWT (forged, expired, wrong algorithm, none, missing...) -> 401;
 * - refused: an input the App must refuse before any round trip (malformed
 *   body, a non-admin on an admin path, no acting user, another user's state,
 *   a completion without its flow) -> 200, an error, nothing sent, nothing stored;
 * - any: random or mutated requests -> 200 and a valid call response.
 */
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { CallPath } from '../../../src/hosts/apps/protocol/paths.js';
import { stateHash } from '../../../src/hosts/apps/calls/oauth2_connect.js';
import { ADMIN_PATHS, ALL_PATHS, json, key, providersDoc, shortStr, str, USER_PATHS, userSummary, values, type Targets } from './fuzz_values.js';
import { mutatedBody } from './fuzz_mutations.js';
import { JWT_FAULTS, type JwtKind } from './signed.js';

export type FuzzClass = 'jwt' | 'refused' | 'any';

export interface FuzzInput {
  cls: FuzzClass;
  why: string;
  path: string;
  /** The serialized body, sent as is. */
  body: string;
  jwt: JwtKind;
  actingUserId: string | undefined;
  /** context.oauth2.complete_url, when the request has one. */
  completeUrl: string | undefined;
}

const token = () => randomBytes(18).toString('base64url');
/** Tokens put in requests: none may come back in an answer or a log line. */
export const issuedTokens: string[] = [];
const remembered = () => {
  const t = token();
  issuedTokens.push(t);
  return t;
};
const freshToken = fc.constant(null).map(remembered);

const MUTATED_PATHS = [
  '/status/',
  '/STATUS',
  '/status%00',
  '/provider/add/../add',
  '/%E2%80%AEstatus',
  '/__proto__',
  '/constructor',
  '/toString',
  '/oauth2//complete',
  '/',
  '/status?x=1',
  '/%zz',
  `/${'a'.repeat(3000)}`,
];
const anyPath = fc.oneof({ arbitrary: fc.constantFrom(...ALL_PATHS), weight: 9 }, { arbitrary: fc.constantFrom(...MUTATED_PATHS), weight: 1 });
const ADMIN_ROLES = ['system_user system_admin', 'system_admin'];
const USER_ROLES = ['system_user', '', 'system_user team_admin', 'system_adminx', 'SYSTEM_ADMIN', 'system_user,system_admin', 'not_system_admin'];

const user = (roles: fc.Arbitrary<string>) =>
  fc.record({
    id: fc.oneof({ arbitrary: fc.constantFrom('uadmin', 'uuser', 'uother'), weight: 4 }, { arbitrary: shortStr, weight: 1 }),
    username: str,
    roles,
    locale: fc.constant('en'),
  });

function context(t: Targets, actingUser: fc.Arbitrary<unknown>) {
  return fc.record(
    {
      app_id: fc.constant(''),
      mattermost_site_url: fc.oneof(
        { arbitrary: fc.constant(t.siteUrl), weight: 12 },
        { arbitrary: fc.constantFrom('not a url', 'http://127.0.0.1:1', 'https://mm.example.com'), weight: 1 },
      ),
      bot_user_id: fc.constantFrom('ubot', ''),
      bot_access_token: freshToken,
      acting_user: actingUser,
      acting_user_access_token: freshToken,
      oauth2: fc.record(
        {
          data: providersDoc(t),
          user: userSummary,
          connect_url: fc.constant(`${t.siteUrl}/connect`),
          complete_url: fc.oneof(fc.constant(`${t.siteUrl}/complete`), str),
          client_id: str,
        },
        { requiredKeys: ['data', 'user', 'connect_url', 'complete_url'] },
      ),
    },
    { requiredKeys: ['acting_user', 'mattermost_site_url', 'acting_user_access_token', 'bot_access_token', 'oauth2'] },
  );
}

interface Body {
  context?: any;
  values?: any;
  [k: string]: unknown;
}

/** Makes /oauth2/connect and /oauth2/complete reachable: a state of the acting user and its flow record. */
function wireFlow(path: string, body: Body, salt: string): Body {
  const uid = body.context?.acting_user?.id;
  const summary = body.context?.oauth2?.user;
  if (typeof uid !== 'string' || typeof summary !== 'object' || summary === null || Array.isArray(summary)) return body;
  const state = `${salt}.${uid}`;
  if (path === CallPath.oauth2Connect) summary.pending = { p: 'idp', at: Date.now() };
  if (path === CallPath.oauth2Complete) summary.flows = [{ h: stateHash(state), p: 'idp', at: Date.now() }];
  return { ...body, values: { ...(typeof body.values === 'object' && body.values), state } };
}

/** The JWT names the acting user as the plugin does; an id no Mattermost user has (over 64 characters) is left out, as it would not fit in a header. */
const input = (cls: FuzzClass, why: string, path: string, body: Body | string, jwt: JwtKind = 'valid'): FuzzInput => {
  const ctx = typeof body === 'string' ? undefined : body.context;
  const id = ctx?.acting_user?.id;
  const complete = ctx?.oauth2?.complete_url;
  return {
    cls,
    why,
    path,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    jwt,
    actingUserId: typeof id === 'string' && id !== '' && id.length <= 64 ? id : undefined,
    completeUrl: typeof complete === 'string' ? complete : undefined,
  };
};

const rawBodies = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{"context":',
    '{"values":{"a":}',
    '',
    'null',
    '[]',
    '"x"',
    `{"values":${'['.repeat(20000)}${']'.repeat(20000)}}`,
    `{"values":{"x":"${'a'.repeat(300_000)}"}}`,
  ),
);

export function anyInput(t: Targets): fc.Arbitrary<FuzzInput> {
  const structured = fc
    .tuple(
      anyPath,
      context(t, fc.oneof(user(fc.constantFrom(...ADMIN_ROLES, ...USER_ROLES)), json)),
      values,
      json,
      fc.record(
        {
          raw_command: str,
          query: str,
          selected_field: str,
          expand: fc.oneof(fc.constant({ acting_user: 'summary', oauth2_app: 'all' }), fc.dictionary(key, str, { maxKeys: 3 }), json),
        },
        { requiredKeys: [] },
      ),
      fc.boolean(),
      fc.string({ minLength: 20, maxLength: 20 }),
    )
    .map(([path, ctx, vals, state, extra, wire, salt]) => {
      const body: Body = { path, context: ctx, values: vals, state, ...extra };
      return input('any', 'structured', path, wire ? wireFlow(path, body, salt) : body);
    });
  const raw = fc.tuple(anyPath, rawBodies).map(([path, body]) => input('any', 'raw', path, body));
  const mutated = mutatedBody(t, remembered).map(({ path, body, mutations }) => input('any', `valid call with ${mutations} mutations`, path, body));
  return fc.oneof({ arbitrary: structured, weight: 4 }, { arbitrary: mutated, weight: 5 }, { arbitrary: raw, weight: 1 });
}

export function jwtInput(t: Targets): fc.Arbitrary<FuzzInput> {
  return fc
    .tuple(anyInput(t), fc.constantFrom(...JWT_FAULTS))
    .map(([i, fault]) => ({ ...i, cls: 'jwt' as const, why: `jwt ${fault}`, jwt: fault }))
    .filter((i) => i.jwt !== 'other_user' || i.actingUserId !== undefined);
}

export function refusedInput(t: Targets): fc.Arbitrary<FuzzInput> {
  const nonAdmin = fc
    .tuple(fc.constantFrom(...ADMIN_PATHS), context(t, user(fc.constantFrom(...USER_ROLES))), values)
    .map(([path, ctx, vals]) => input('refused', 'non-admin on an admin path', path, { context: ctx, values: vals }));
  const noUser = fc
    .tuple(fc.constantFrom(...USER_PATHS, ...ADMIN_PATHS), context(t, fc.constantFrom(null, {}, { id: '' }, { id: 7 }, 'uuser', [])), values)
    .map(([path, ctx, vals]) => input('refused', 'no acting user', path, { context: ctx, values: vals }));
  const badShape = fc
    .tuple(
      anyPath,
      context(t, user(fc.constantFrom(...ADMIN_ROLES))),
      fc.constantFrom<[string, unknown]>(
        ['values', 'x'],
        ['values', [1]],
        ['values', { a: { nested: true } }],
        ['values', { a: [1, 2] }],
        ['context', []],
        ['expand', 'all'],
        ['raw_command', 5],
        ['query', {}],
      ),
    )
    .map(([path, ctx, [field, bad]]) => input('refused', `malformed ${field}`, path, { context: field === 'context' ? bad : ctx, [field]: bad }));
  const otherState = fc.tuple(context(t, user(fc.constantFrom(...ADMIN_ROLES, ...USER_ROLES))), str).map(([ctx, salt]) =>
    input('refused', "another user's state", CallPath.oauth2Connect, {
      context: { ...ctx, oauth2: { ...ctx.oauth2, user: { v: 1, connections: {}, flows: [], pending: { p: 'idp', at: Date.now() } } } },
      values: { state: `${salt}.not-${String((ctx.acting_user as { id?: unknown })?.id)}` },
    }),
  );
  const noFlow = fc.tuple(context(t, user(fc.constantFrom(...USER_ROLES))), fc.string({ minLength: 1, maxLength: 30 })).map(([ctx, salt]) =>
    input('refused', 'completion without its flow', CallPath.oauth2Complete, {
      context: ctx,
      values: { state: `${salt}.${String((ctx.acting_user as { id?: unknown }).id)}`, code: token() },
    }),
  );
  const rawBad = fc
    .tuple(anyPath, fc.constantFrom('{"context":', '[]', '"x"', 'null', '42', `{"values":{"x":"${'a'.repeat(300_000)}"}}`))
    .map(([path, body]) => input('refused', 'not a call body', path, body));
  return fc.oneof(nonAdmin, noUser, badShape, otherState, noFlow, rawBad);
}
