/**
 * The core's user operations on in-memory repositories: status, whoami,
 * disconnect (revocation only at the issuing origin), token use (a broken
 * connection never reaches the provider) and completing a connection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeConnection } from '../../../src/core/complete_connection.js';
import { disconnect } from '../../../src/core/disconnect.js';
import { UserFacingError } from '../../../src/core/errors.js';
import { helpText } from '../../../src/core/commands.js';
import { STANDALONE_WORDING } from '../../../src/core/info.js';
import type { CoreDeps, CoreRequest } from '../../../src/core/request.js';
import { status } from '../../../src/core/status.js';
import { usableTokens } from '../../../src/core/token_use.js';
import { whoami } from '../../../src/core/whoami.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { OAuthError } from '../../../packages/engine/src/errors.js';
import type { CompletedAuthorization, OAuthEngine, TokenSet } from '../../../packages/engine/src/types.js';
import { MemoryConnections, MemoryProviders } from '../../support/standalone/memory_stores.js';

const NOW = 1_800_000_000_000;
const provider: StoredProvider = {
  id: 'idp',
  display_name: 'Test IdP',
  preset: 'oidc',
  issuer: 'https://idp.example.com',
  client_id: 'client',
  auth: 'none',
  scopes: ['openid'],
  created_at: NOW - 10_000,
  updated_at: NOW - 10_000,
};

function world() {
  const calls: string[] = [];
  const engine = {
    account: async (_c: unknown, t: TokenSet) => {
      calls.push(`account ${t.access_token}`);
      return { sub: 'alice-sub', label: 'alice', profile: { email: 'alice@example.com' } };
    },
    refresh: async () => {
      calls.push('refresh');
      throw new OAuthError('invalid_grant', 'refused');
    },
    revoke: async () => {
      calls.push('revoke');
      return { supported: true, revoked: true };
    },
  } as unknown as OAuthEngine;
  const providers = new MemoryProviders();
  const connections = new MemoryConnections();
  const notes: string[] = [];
  const req = (values: CoreRequest['values'] = {}): CoreRequest => ({
    user: { id: 'alice', isAdmin: false },
    values,
    providers,
    connections,
    host: {
      connectHint: async (id) => `[Reconnect](https://svc/connect/${id})`,
      redirectUri: (id) => `https://svc/complete/${id}`,
      notify: async (_u, m) => void notes.push(m),
      usernames: async () => new Map(),
      helpWording: STANDALONE_WORDING,
    },
  });
  const deps: CoreDeps = {
    settings: { refreshMarginMs: 60_000 },
    logger: createMemoryLogger(),
    engine,
    sealer: { seal: (s) => s, open: (s) => ({ plaintext: s, stale: false }) },
    now: () => NOW,
  };
  return { calls, providers, connections, notes, req, deps };
}

const tokens = (access: string, expiresAt = NOW + 3_600_000): TokenSet => ({
  access_token: access,
  refresh_token: 'r',
  token_type: 'Bearer',
  expires_at: expiresAt,
  obtained_at: NOW - 1000,
});

async function connected(w: ReturnType<typeof world>, origin = 'https://idp.example.com') {
  await w.providers.save(provider);
  await w.connections.save({
    user_id: 'alice',
    provider_id: 'idp',
    connection: { label: 'alice', sub: 'alice-sub', since: NOW - 5000 },
    tokens: tokens('at-1'),
    origin,
  });
}

describe('core user operations', () => {
  it('when no provider is registered, then status says how to add one', async () => {
    const w = world();
    assert.match((await status(w.req(), w.deps)).text ?? '', /No OAuth2 providers are registered yet/);
  });

  it('when alice is connected, then status shows the account and whoami names it', async () => {
    const w = world();
    await connected(w);
    assert.match((await status(w.req(), w.deps)).text ?? '', /\(`idp`\): connected as \*\*alice\*\*/);
    assert.match((await whoami(w.req(), w.deps)).text ?? '', /At Test IdP you are \*\*alice\*\* \(id `alice-sub`\)/);
    assert.deepEqual(w.calls, ['account at-1']);
  });

  it('when the connection is broken, then whoami never calls the provider and prompts a reconnect', async () => {
    const w = world();
    await connected(w);
    await w.connections.markBroken('alice', 'idp', 'revoked');
    await assert.rejects(
      whoami(w.req(), w.deps),
      (err: unknown) => err instanceof UserFacingError && /no longer works: revoked\. \[Reconnect\]/.test(err.message),
    );
    assert.deepEqual(w.calls, []);
  });

  it('when the refresh token is refused, then the connection is marked broken', async () => {
    const w = world();
    await connected(w);
    await w.connections.saveTokens('alice', 'idp', tokens('old', NOW - 1));
    await assert.rejects(usableTokens(w.req(), w.deps, provider), UserFacingError);
    assert.match((await w.connections.summaries('alice')).idp?.broken ?? '', /no longer accepts/);
  });

  it('when the provider moved since alice connected, then neither whoami nor a refresh reaches the new origin and the connection is marked broken', async () => {
    const w = world();
    await connected(w, 'https://old-idp.example.com');
    await w.connections.saveTokens('alice', 'idp', tokens('old', NOW - 1));
    await assert.rejects(whoami(w.req(), w.deps), (err: unknown) => err instanceof UserFacingError && /does not belong here.*\[Reconnect\]/.test(err.message));
    assert.deepEqual(w.calls, [], 'no refresh, no account call');
    assert.match((await w.connections.summaries('alice')).idp?.broken ?? '', /does not belong here/);
  });

  it('when alice disconnects, then the token is revoked at its origin and the row deleted', async () => {
    const w = world();
    await connected(w);
    const answer = await disconnect(w.req({ provider: 'idp' }), w.deps);
    assert.match(answer.text ?? '', /Disconnected your Test IdP account\. The token was revoked at Test IdP\./);
    assert.equal(answer.refresh, true);
    assert.deepEqual(w.calls, ['revoke']);
    assert.equal(await w.connections.get('alice', 'idp'), undefined);
  });

  it('when the provider moved since alice connected, then disconnect sends the token nowhere and still deletes it', async () => {
    const w = world();
    await connected(w, 'https://old-idp.example.com');
    assert.match((await disconnect(w.req(), w.deps)).text ?? '', /was not sent there; it was deleted here/);
    assert.deepEqual(w.calls, []);
    assert.equal(await w.connections.get('alice', 'idp'), undefined);
  });

  it('when a reconnect returns another account, then nothing changes; the same account is saved with its origin and a DM', async () => {
    const w = world();
    await connected(w);
    const done = (sub: string) => ({ account: { sub, label: sub, profile: {} }, tokens: tokens(`at-${sub}`) }) as unknown as CompletedAuthorization;
    const config = { ...provider, token_endpoint_auth_method: 'none' as const };
    await assert.rejects(completeConnection(w.req(), w.deps, provider, config, done('mallory')), /connected as \*\*alice\*\*\. Nothing was changed/);
    assert.equal((await w.connections.get('alice', 'idp'))?.tokens.access_token, 'at-1');
    await completeConnection(w.req(), w.deps, provider, config, done('alice-sub'));
    const row = await w.connections.get('alice', 'idp');
    assert.equal(row?.tokens.access_token, 'at-alice-sub');
    assert.equal(row?.origin, 'https://idp.example.com');
    assert.deepEqual(w.notes, ['You connected your Test IdP account **alice-sub**.']);
  });

  it('help shows the admin part only to admins, with the host wording', () => {
    assert.doesNotMatch(helpText(false, STANDALONE_WORDING), /System admins/);
    assert.match(helpText(true, STANDALONE_WORDING), /System admins:[\s\S]*\/oauth2 report/);
    assert.match(helpText(false, STANDALONE_WORDING), /revoke the service's access/);
  });
});
