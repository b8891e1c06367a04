/**
 * Mutated calls: a valid call for a path, as the plugin would send it (a
 * provider on the real OpenID provider, a connected user, the right values),
 * with zero to three mutations (a field set to random JSON, a key deleted, a
 * prototype key added, a whole part replaced). Unmutated ones reach the deep
 * paths: discovery, the authorize URL, the code exchange, refresh, userinfo.
 */
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { CallPath } from '../../../src/hosts/apps/protocol/paths.js';
import { stateHash } from '../../../src/hosts/apps/calls/oauth2_connect.js';
import { ALL_PATHS, json, key, PROTO_KEYS, type Targets } from './fuzz_values.js';

const WHERE = [
  'values',
  'state',
  'context',
  'context.acting_user',
  'context.oauth2',
  'context.oauth2.data',
  'context.oauth2.data.providers.0',
  'context.oauth2.user',
  'context.oauth2.user.connections.idp',
  'context.oauth2.user.flows.0',
  'expand',
];

interface Mutation {
  where: string;
  op: 'set' | 'delete' | 'proto' | 'replace';
  key: string;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  where: fc.constantFrom(...WHERE),
  op: fc.constantFrom('set', 'set', 'delete', 'proto', 'replace'),
  key,
  value: json,
});

function validValues(path: string, t: Targets, salt: string): Record<string, unknown> {
  const provider = { provider: { label: 'Test IdP', value: 'idp' } };
  const form = {
    preset: { label: 'OpenID Connect', value: 'oidc' },
    id: 'new-idp',
    display_name: 'New',
    issuer: t.issuers[0],
    client_id: t.clientId,
    client_secret: 'fuzz-secret-value-0123456789',
    auth: { label: 'basic', value: 'client_secret_basic' },
    scopes: 'openid profile',
    params: 'prompt=consent',
  };
  switch (path) {
    case CallPath.providerAdd:
    case CallPath.providerAddForm:
    case CallPath.providerRegister:
    case CallPath.providerRegisterForm:
      return form;
    case CallPath.providerEdit:
    case CallPath.providerEditForm:
      return { ...form, id: 'idp' };
    case CallPath.providerRemove:
      return { ...provider, confirm: true };
    case CallPath.oauth2Connect:
      return { state: `${salt}.uadmin` };
    case CallPath.oauth2Complete:
      return { state: `${salt}.uadmin`, code: randomBytes(16).toString('base64url'), iss: t.issuers[0] };
    case CallPath.providerLookup:
      return {};
    default:
      return provider;
  }
}

function validBody(path: string, t: Targets, salt: string, tokens: [string, string]): Record<string, unknown> {
  const now = Date.now();
  const idp = {
    id: 'idp',
    display_name: 'Test IdP',
    preset: 'oidc',
    issuer: t.issuers[0],
    client_id: t.clientId,
    sealed_secret: t.sealedSecret,
    auth: 'client_secret_basic',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    params: { prompt: 'consent' },
    created_at: 0,
    updated_at: 0,
  };
  return {
    path,
    expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
    state: path === CallPath.providerEdit ? { provider: 'idp' } : undefined,
    values: validValues(path, t, salt),
    context: {
      app_id: '',
      mattermost_site_url: t.siteUrl,
      bot_user_id: 'ubot',
      bot_access_token: tokens[0],
      acting_user: { id: 'uadmin', username: 'admin', roles: 'system_user system_admin', locale: 'en' },
      acting_user_access_token: tokens[1],
      oauth2: {
        client_id: 'oauth2-connect',
        connect_url: `${t.siteUrl}/connect`,
        complete_url: `${t.siteUrl}/complete`,
        data: { v: 1, providers: [idp] },
        user: {
          v: 1,
          connections: { idp: { label: 'admin', sub: 'admin', since: now } },
          flows: [{ h: stateHash(`${salt}.uadmin`), p: 'idp', at: now }],
          pending: { p: 'idp', at: now },
          dm: 'dmchannel',
        },
      },
    },
  };
}

function apply(body: Record<string, unknown>, m: Mutation): void {
  const parts = m.where.split('.');
  const last = parts.pop()!;
  let parent: any = body;
  for (const p of parts) parent = typeof parent === 'object' && parent !== null ? parent[p] : undefined;
  if (typeof parent !== 'object' || parent === null) return;
  if (m.op === 'replace') return void (parent[last] = m.value);
  const target = parent[last];
  if (typeof target !== 'object' || target === null) return void (parent[last] = m.value);
  const keys = Object.keys(target);
  if (m.op === 'delete' && keys.length > 0) delete target[keys[m.key.length % keys.length]!];
  else if (m.op === 'proto')
    Object.defineProperty(target, PROTO_KEYS[m.key.length % PROTO_KEYS.length]!, { value: m.value, enumerable: true, writable: true, configurable: true });
  else target[m.key] = m.value;
}

/** A valid call for a path with 0-3 mutations; the tokens are fresh secrets of the run. */
export function mutatedBody(t: Targets, token: () => string) {
  return fc
    .tuple(fc.constantFrom(...ALL_PATHS), fc.string({ minLength: 20, maxLength: 20, unit: 'grapheme-ascii' }), fc.array(mutation, { maxLength: 3 }))
    .map(([path, salt, mutations]) => {
      const body = validBody(path, t, salt.replace(/\./g, '_'), [token(), token()]);
      for (const m of mutations) apply(body, m);
      return { path, body, mutations: mutations.length };
    });
}
