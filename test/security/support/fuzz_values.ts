/**
 * fast-check arbitraries for the parts of a CallRequest a client controls, or
 * that a broken plugin could send: strings (unicode, huge, hostile),
 * prototype keys, wrong types, deep nesting, and shapes of the App's own
 * records (providers in oauth2.data, the summary in oauth2.user).
 */
import fc from 'fast-check';
import { CallPath } from '../../../src/hosts/apps/protocol/paths.js';

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const HOSTILE = [
  '',
  ' ',
  '\u0000',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'https://evil.example.com/cb',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '\u202e\u0644\u0639\u0628',
  '🦄🔥'.repeat(50),
  'a\nb\r\nc',
  'Bearer x',
  'null',
  'true',
  '1e400',
  '-0',
];
export const VALUE_NAMES = [
  'provider',
  'state',
  'code',
  'iss',
  'error',
  'error_description',
  'redirect_uri',
  'preset',
  'id',
  'display_name',
  'issuer',
  'base_url',
  'tenant',
  'client_id',
  'client_secret',
  'auth',
  'scopes',
  'params',
  'confirm',
  'endpoints_authorization_endpoint',
  'endpoints_token_endpoint',
  'user_id',
  'acting_user',
  'navigate_to_url',
  'connect_url',
  'complete_url',
];
export const ADMIN_PATHS: string[] = Object.entries(CallPath)
  .filter(([k]) => k.startsWith('provider') && k !== 'providerLookup' && k !== 'providers')
  .map(([, v]) => v)
  .concat(CallPath.report);
export const USER_PATHS: string[] = [
  CallPath.connect,
  CallPath.disconnect,
  CallPath.status,
  CallPath.whoami,
  CallPath.panel,
  CallPath.oauth2Connect,
  CallPath.oauth2Complete,
];
export const ALL_PATHS: string[] = Object.values(CallPath);
export const PRESETS = ['github', 'gitlab', 'google', 'microsoft', 'mattermost', 'oidc', 'oauth2'];

/**
 * Deeply nested arrays or objects (JSON.parse and the App must both survive them).
 * At most 1200 levels: deeper ones overflowed the stack of JSON.stringify itself
 * while fast-check was generating (seed 930564), before any request was sent.
 */
export const deep: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 20, max: 1200 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) v = arrays ? [v] : { a: v };
  return v;
});

/** Short strings: ids and keys (a Mattermost id is 26 characters; the JWT carries the acting user's). */
export const shortStr: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...HOSTILE.slice(0, 12), ...PROTO_KEYS),
);

export const str: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.constantFrom(...HOSTILE, ...PROTO_KEYS), weight: 3 },
  { arbitrary: fc.integer({ min: 4000, max: 20_000 }).map((n) => 'é'.repeat(n)), weight: 1 },
);

export const key: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...VALUE_NAMES), fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 }));

/** Any JSON, shallow or deep, with prototype keys among the object keys. */
export const json: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  {
    arbitrary: fc.array(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }).map((e) => Object.fromEntries(e)),
    weight: 2,
  },
  { arbitrary: str, weight: 2 },
  { arbitrary: deep, weight: 1 },
);

const option = fc.record({ label: str, value: str }, { requiredKeys: ['value'] });
/** A form value: right types, wrong types, options, lists, nested junk. */
export const formValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: str, weight: 6 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 2 },
  { arbitrary: option, weight: 3 },
  { arbitrary: fc.array(option, { maxLength: 4 }), weight: 1 },
  { arbitrary: json, weight: 1 },
);

export const values: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.array(fc.tuple(key, formValue), { maxLength: 8 }).map((e) => Object.fromEntries(e)), weight: 8 },
  { arbitrary: json, weight: 1 },
);

export interface Targets {
  siteUrl: string;
  /** Issuers the App may reach: a real OpenID provider, the counting site, a closed port. */
  issuers: string[];
  /** A client secret sealed with the App's key (the plaintext is a secret of the run). */
  sealedSecret: string;
  clientId: string;
}

export const providerRecord = (t: Targets) =>
  fc.record(
    {
      id: fc.oneof({ arbitrary: fc.constantFrom('idp', 'gh', 'x-1'), weight: 5 }, { arbitrary: str, weight: 1 }),
      display_name: str,
      preset: fc.oneof({ arbitrary: fc.constantFrom(...PRESETS), weight: 5 }, { arbitrary: str, weight: 1 }),
      issuer: fc.oneof({ arbitrary: fc.constantFrom(...t.issuers, 'https://idp.example.com'), weight: 5 }, { arbitrary: str, weight: 1 }),
      base_url: fc.constantFrom(...t.issuers),
      client_id: fc.oneof(fc.constant(t.clientId), str),
      sealed_secret: fc.oneof({ arbitrary: fc.constant(t.sealedSecret), weight: 3 }, { arbitrary: str, weight: 1 }),
      auth: fc.oneof(fc.constantFrom('none', 'client_secret_basic', 'client_secret_post'), str),
      scopes: fc.oneof(fc.constant(['openid', 'profile', 'email', 'offline_access']), fc.array(str, { maxLength: 3 }), json),
      params: fc.oneof(fc.dictionary(key, str, { maxKeys: 3 }), json),
      endpoints: fc.oneof(fc.record({ authorization_endpoint: fc.constantFrom(...t.issuers), token_endpoint: fc.constantFrom(...t.issuers) }), json),
      created_at: fc.oneof(fc.constant(0), fc.integer(), json),
      updated_at: fc.integer(),
    },
    { requiredKeys: ['id', 'preset', 'client_id', 'scopes', 'display_name'] },
  );

export const providersDoc = (t: Targets) =>
  fc.oneof(
    { arbitrary: fc.record({ v: fc.constant(1), providers: fc.array(providerRecord(t), { maxLength: 4 }) }), weight: 6 },
    { arbitrary: json, weight: 1 },
  );

const connection = fc.record(
  { label: str, sub: str, since: fc.oneof(fc.integer(), fc.constant(Date.now())), broken: str },
  { requiredKeys: ['label', 'sub', 'since'] },
);
export const userSummary = fc.oneof(
  {
    arbitrary: fc.record(
      {
        v: fc.oneof(fc.constant(1), json),
        connections: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('idp', 'gh', 'x-1'), key), connection, { maxKeys: 3 }), json),
        flows: fc.oneof(
          fc.array(fc.record({ h: str, p: fc.constantFrom('idp', 'gh'), at: fc.oneof(fc.constant(Date.now()), fc.integer()) }), { maxLength: 6 }),
          json,
        ),
        pending: fc.oneof(fc.record({ p: fc.constantFrom('idp', 'gh', 'x-1'), at: fc.constant(Date.now()) }), json),
        dm: fc.oneof(fc.constant('dmchannel'), json),
      },
      { requiredKeys: ['v'] },
    ),
    weight: 6,
  },
  { arbitrary: json, weight: 1 },
);
