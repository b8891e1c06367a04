/**
 * A click on a consent request's Allow, against the SQL storage of SQLite and
 * PostgreSQL: it stores one grant while the user is connected; when the user
 * disconnected after the click's check of their connection and before its
 * grant was written, nothing is stored and the click answers what it answers
 * a user who is not connected; when the admin removed the client then, nothing
 * is stored and the click answers what it answers for a client that is gone;
 * when the client was removed and one of the same name registered since, an
 * Allow on the removed one's request stores nothing and answers the same.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import type { TokenGrant } from '../../../src/core/token_api/types.js';
import { SqlConnectionRepository } from '../../../src/hosts/standalone/db/connection_repository.js';
import { SqlOneTimeStore } from '../../../src/hosts/standalone/db/one_time_store.js';
import { SqlProviderRepository } from '../../../src/hosts/standalone/db/provider_repository.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import type { StandaloneDeps } from '../../../src/hosts/standalone/deps.js';
import { consentActionRoute } from '../../../src/hosts/standalone/token_api/consent_action.js';
import { signConsent } from '../../../src/hosts/standalone/token_api/consent_context.js';
import { CONSENT_URL_PATH } from '../../../src/hosts/standalone/token_api/prompts.js';
import { createTokenApi } from '../../../src/hosts/standalone/token_api/token_api.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { rateLimitedWarn } from '../../../src/log/rate_limited.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;

const PROVIDER: StoredProvider = {
  id: 'idp',
  display_name: 'IdP',
  preset: 'oidc',
  issuer: 'https://idp.example',
  client_id: 'c',
  auth: 'none',
  scopes: ['openid'],
  created_at: NOW,
  updated_at: NOW,
};

/** The SQL grant store, with a step run just before a grant is written: a disconnect or a client's removal landing after the click's checks. */
class StepBeforeGrant extends SqlTokenClientStore {
  beforeGrant: (() => Promise<void>) | undefined;
  override async grant(grant: TokenGrant, clientCreatedAt?: number): Promise<boolean> {
    await this.beforeGrant?.();
    return super.grant(grant, clientCreatedAt);
  }
}

onEachBackend('a consent click needs the client and the connection when its grant is written', ({ database }) => {
  const consentKey = randomBytes(32);
  let store: StepBeforeGrant;
  let connections: SqlConnectionRepository;
  let server: Server;
  let url: string;

  before(async () => {
    const db = database().db;
    const providers = new SqlProviderRepository(db);
    await providers.save(PROVIDER);
    connections = new SqlConnectionRepository(db, testSealer(), { providers });
    store = new StepBeforeGrant(db);
    await register('bot');
    const logger = createMemoryLogger();
    const now = () => NOW;
    // The click's route needs these of the host's parts.
    const deps = {
      providers,
      connections,
      oneTime: new SqlOneTimeStore(db),
      logger,
      refusalLog: rateLimitedWarn(logger, now),
      now,
      settings: { mattermostSources: [] },
    } as unknown as StandaloneDeps;
    const app = express().use('/standalone', consentActionRoute(deps, createTokenApi(store, consentKey, logger, now)));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CONSENT_URL_PATH}`;
  });
  after(() => server?.close());

  const register = (id: string, createdAt = NOW) =>
    store.create(
      {
        id,
        name: 'Bot',
        providers: ['idp'],
        scopes: ['openid'],
        sources: [],
        rate_per_minute: 60,
        created_by: 'a'.repeat(26),
        created_at: createdAt,
        credential_at: createdAt,
      },
      credentialHash(newCredential()),
    );

  const connect = (userId: string) =>
    connections.save({
      user_id: userId,
      provider_id: 'idp',
      connection: { label: userId.slice(0, 5), sub: userId, since: NOW },
      tokens: { access_token: `at-${userId}`, token_type: 'bearer', obtained_at: NOW },
      origin: 'https://idp.example',
    });
  /** The Allow button of a request sent for the client as registered at createdAt. */
  const request = (userId: string, clientId = 'bot', createdAt = NOW) =>
    signConsent(consentKey, { user_id: userId, client_id: clientId, client_created_at: createdAt, provider_id: 'idp', scopes: ['openid'] }, NOW).allow;
  /** The user's click on that Allow, as Mattermost forwards it. */
  const click = async (userId: string, consent: string) => {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ user_id: userId, post_id: 'p', channel_id: 'c', context: { consent } }) });
    return (await res.json()) as { ephemeral_text?: string; update?: { message: string } };
  };
  const allow = (userId: string, clientId = 'bot') => click(userId, request(userId, clientId));

  it('when a connected user clicks Allow, then exactly one grant is stored', async () => {
    const user = 'a'.repeat(26);
    await connect(user);
    const answer = await allow(user);
    assert.match(answer.update?.message ?? '', /You allowed \*\*Bot\*\* to use your \*\*IdP\*\* account/);
    assert.deepEqual(await store.grantsOf(user), [{ user_id: user, client_id: 'bot', provider_id: 'idp', scopes: ['openid'], granted_at: NOW }]);
  });

  it('when the user disconnects after the click checked their connection, then no grant is stored and the click says they are not connected', async () => {
    const never = 'n'.repeat(26);
    const notConnected = (await allow(never)).ephemeral_text;
    assert.match(notConnected ?? '', /^Nothing was changed: The user is not connected to "idp"/);
    const user = 'd'.repeat(26);
    await connect(user);
    store.beforeGrant = async () => assert.equal((await connections.delete(user, 'idp')).deleted, true);
    try {
      const answer = await allow(user);
      assert.deepEqual(answer, { ephemeral_text: notConnected }, 'the answer a user who is not connected gets');
    } finally {
      store.beforeGrant = undefined;
    }
    assert.deepEqual(await store.grantsOf(user), [], 'no grant outlives the connection');
    assert.equal(await connections.get(user, 'idp'), undefined);
  });

  it('when the admin removes the client after the click checked it, then no grant is stored and the click says the integration was removed', async () => {
    const user = 'r'.repeat(26);
    await connect(user);
    const neverRegistered = await allow(user, 'never-bot');
    assert.match(neverRegistered.ephemeral_text ?? '', /integration was removed/);
    await register('gone-bot');
    store.beforeGrant = async () => assert.equal(await store.remove('gone-bot'), true);
    try {
      const answer = await allow(user, 'gone-bot');
      assert.deepEqual(answer, neverRegistered, 'the answer for a client that is gone');
    } finally {
      store.beforeGrant = undefined;
    }
    assert.deepEqual(await store.grantsOf(user), [], 'no grant outlives its client');
    assert.equal(await store.get('gone-bot'), undefined);
  });

  it('when the admin removes the client and registers one of the same name after the click checked it, then no grant is stored and the click says the integration was removed', async () => {
    const user = 'q'.repeat(26);
    await connect(user);
    const removed = (await allow(user, 'never-bot')).ephemeral_text;
    await register('race-bot');
    const sent = request(user, 'race-bot');
    store.beforeGrant = async () => {
      assert.equal(await store.remove('race-bot'), true);
      assert.equal(await register('race-bot', NOW + 60_000), true, 'the same id, registered again');
    };
    try {
      assert.deepEqual(await click(user, sent), { ephemeral_text: removed }, 'the answer for a client that is gone');
    } finally {
      store.beforeGrant = undefined;
    }
    assert.equal(await store.getGrant(user, 'race-bot', 'idp'), undefined, 'the client registered since is granted nothing');
  });

  it("when the admin removed the client and registered one of the same name, then an Allow on the removed one's request stores nothing and says the integration was removed", async () => {
    const user = 's'.repeat(26);
    await connect(user);
    const removed = (await allow(user, 'never-bot')).ephemeral_text;
    assert.match(removed ?? '', /integration was removed/);
    await register('swap-bot');
    const sent = request(user, 'swap-bot');
    assert.equal(await store.remove('swap-bot'), true);
    assert.equal(await register('swap-bot', NOW + 60_000), true, 'the same id, registered again');
    const answer = await click(user, sent);
    assert.deepEqual(answer, { ephemeral_text: removed }, 'the answer for a client that is gone');
    assert.deepEqual(await store.grantsOf(user), [], 'the client registered since is granted nothing');
    assert.equal(await store.getGrant(user, 'swap-bot', 'idp'), undefined);
    assert.match((await click(user, sent)).ephemeral_text ?? '', /already answered/, 'the request is used up, as one for a removed client is');
    const asked = await click(user, request(user, 'swap-bot', NOW + 60_000));
    assert.match(asked.update?.message ?? '', /You allowed \*\*Bot\*\*/, 'a request the client registered since sent still counts');
    assert.deepEqual(await store.grantsOf(user), [{ user_id: user, client_id: 'swap-bot', provider_id: 'idp', scopes: ['openid'], granted_at: NOW }]);
  });
});
