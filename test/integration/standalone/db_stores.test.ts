import { it } from 'node:test';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { SqlConnectionRepository } from '../../../src/hosts/standalone/db/connection_repository.js';
import { SqlInstallationStore } from '../../../src/hosts/standalone/db/installation_store.js';
import { SqlOneTimeStore } from '../../../src/hosts/standalone/db/one_time_store.js';
import { SqlProviderRepository } from '../../../src/hosts/standalone/db/provider_repository.js';
import { SqlSessionStore } from '../../../src/hosts/standalone/db/session_store.js';
import { StoredSecretError } from '../../../src/hosts/standalone/db/bound_sealer.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';
import { sealV1 } from '../../support/sealed_slots.js';

const NOW = 1_780_000_000_000;

function provider(id: string, extra: Partial<StoredProvider> = {}): StoredProvider {
  return {
    id,
    display_name: id.toUpperCase(),
    preset: 'oidc',
    issuer: `https://${id}.example`,
    client_id: `cid-${id}`,
    sealed_secret: 'v1.k.iv.data',
    auth: 'client_secret_basic',
    scopes: ['openid'],
    created_at: NOW,
    updated_at: NOW,
    ...extra,
  };
}

onEachBackend('providers', ({ database }) => {
  it('when providers are saved, then list returns them by id and get finds each, with the record intact', async () => {
    const repo = new SqlProviderRepository(database().db);
    await repo.save(provider('gitlab', { params: { prompt: 'consent' }, endpoints: { token_endpoint: 'https://gitlab.example/t' } }));
    await repo.save(provider('acme'));
    assert.deepEqual(
      (await repo.list()).map((p) => p.id),
      ['acme', 'gitlab'],
    );
    assert.deepEqual(
      await repo.get('gitlab'),
      provider('gitlab', { params: { prompt: 'consent' }, endpoints: { token_endpoint: 'https://gitlab.example/t' } }),
    );
    assert.equal(await repo.get('nope'), undefined);
  });

  it('when a provider is saved again, then it is replaced (upsert), and remove says whether there was one and removes its connections', async () => {
    const repo = new SqlProviderRepository(database().db);
    await repo.save(provider('acme', { display_name: 'Acme 2', updated_at: NOW + 5 }));
    assert.equal((await repo.get('acme'))?.display_name, 'Acme 2');
    assert.equal((await repo.list()).length, 2);
    const connections = new SqlConnectionRepository(database().db, testSealer(), { now: () => NOW });
    const tokens = { access_token: 'at', token_type: 'Bearer', obtained_at: NOW };
    for (const [user, id] of [
      ['u1', 'acme'],
      ['u1', 'gitlab'],
    ])
      await connections.save({
        user_id: user!,
        provider_id: id!,
        connection: { label: user!, sub: user!, since: NOW },
        tokens,
        origin: `https://${id}.example`,
      });
    assert.equal(await repo.remove('acme'), true);
    assert.equal(await connections.get('u1', 'acme'), undefined, "the removed provider's connections go with it");
    assert.ok(await connections.get('u1', 'gitlab'), 'the other provider keeps its connections');
    assert.equal(await repo.remove('acme'), false);
    assert.deepEqual(
      (await repo.list()).map((p) => p.id),
      ['gitlab'],
    );
  });
});

onEachBackend('installation', ({ database }) => {
  const installation = {
    mattermost_url: 'https://mm.example',
    bot_user_id: 'bot1',
    bot_username: 'oauth2',
    bot_token: 'bot-token-plain-1234',
    oauth_client_id: 'client1',
    oauth_client_secret: 'client-secret-plain-5678',
    bot_role: 'regular' as const,
    installation_id: 'a1b2c3d4-0000-4000-8000-000000000001',
    apps_plugin: false,
    updated_at: NOW,
  };

  it('when setup saves the installation, then it reads back whole, with the secrets sealed at rest', async () => {
    const store = new SqlInstallationStore(database().db, testSealer());
    assert.equal(await store.getInstallation(), undefined);
    await store.saveInstallation(installation);
    assert.deepEqual(await store.getInstallation(), installation);
    const raw = await database().db.selectFrom('installation').selectAll().executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(raw), /plain/);
    await store.saveInstallation({ ...installation, bot_username: 'renamed', bot_role: 'admin', updated_at: NOW + 1 });
    assert.equal((await store.getInstallation())?.bot_username, 'renamed');
    assert.equal((await store.getInstallation())?.bot_role, 'admin');
    assert.equal((await database().db.selectFrom('installation').select('id').execute()).length, 1);
  });

  it('when setup records whether the Apps plugin is active (yes, no, or could not tell), then it reads back the same', async () => {
    const store = new SqlInstallationStore(database().db, testSealer());
    for (const apps_plugin of [true, false, undefined]) {
      const { apps_plugin: _recorded, ...rest } = installation;
      await store.saveInstallation(apps_plugin === undefined ? rest : { ...rest, apps_plugin });
      assert.equal((await store.getInstallation())?.apps_plugin, apps_plugin);
      assert.equal('apps_plugin' in ((await store.getInstallation()) ?? {}), apps_plugin !== undefined);
    }
  });

  it('when the encryption key rotates, then reading the installation re-seals the bot token and the client secret under the new key, so the old key can be dropped', async () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const newKey = { id: 'new', key: randomBytes(32) };
    await new SqlInstallationStore(database().db, testSealer([oldKey])).saveInstallation(installation);
    const sealedColumns = async () => {
      const raw = await database().db.selectFrom('installation').select(['bot_token', 'oauth_client_secret']).executeTakeFirstOrThrow();
      return [raw.bot_token, raw.oauth_client_secret];
    };
    for (const sealed of await sealedColumns()) assert.match(sealed, /^v2\.old\./);
    assert.deepEqual(await new SqlInstallationStore(database().db, testSealer([newKey, oldKey])).getInstallation(), installation);
    for (const sealed of await sealedColumns()) assert.match(sealed, /^v2\.new\./);
    assert.deepEqual(await new SqlInstallationStore(database().db, testSealer([newKey])).getInstallation(), installation, 'the old key is no longer needed');
  });

  it('when a secret of the installation is in the first, unbound format, then reading it re-seals it bound under the current key', async () => {
    const key = { id: 'k1', key: randomBytes(32) };
    const store = new SqlInstallationStore(database().db, testSealer([key]));
    await store.saveInstallation(installation);
    await database()
      .db.updateTable('installation')
      .set({ bot_token: sealV1('k1', key.key, installation.bot_token) })
      .execute();
    assert.deepEqual(await store.getInstallation(), installation);
    const raw = await database().db.selectFrom('installation').select('bot_token').executeTakeFirstOrThrow();
    assert.match(raw.bot_token, /^v2\.k1\./);
  });

  it('when the bot token and the client secret are swapped at rest, then reading fails with a clear error naming the setting', async () => {
    const sealer = testSealer();
    const store = new SqlInstallationStore(database().db, sealer);
    await store.saveInstallation(installation);
    const raw = await database().db.selectFrom('installation').selectAll().executeTakeFirstOrThrow();
    await database().db.updateTable('installation').set({ bot_token: raw.oauth_client_secret, oauth_client_secret: raw.bot_token }).execute();
    await assert.rejects(
      store.getInstallation(),
      (error: Error) => error instanceof StoredSecretError && /bot token/.test(error.message) && !/plain/.test(error.message),
    );
    await store.saveInstallation(installation);
  });

  it('when team commands are saved, listed, replaced and deleted, then each step shows; deleting the installation removes them all', async () => {
    const store = new SqlInstallationStore(database().db, testSealer());
    await store.saveCommand({ team_id: 't2', command_id: 'c2', token_hash: 'h2', updated_at: NOW });
    await store.saveCommand({ team_id: 't1', command_id: 'c1', token_hash: 'h1', updated_at: NOW });
    await store.saveCommand({ team_id: 't1', command_id: 'c1b', token_hash: 'h1b', creator_id: 'u1', fields_hash: 'f1', updated_at: NOW + 1 });
    assert.deepEqual(await store.commandForTeam('t1'), {
      team_id: 't1',
      command_id: 'c1b',
      token_hash: 'h1b',
      creator_id: 'u1',
      fields_hash: 'f1',
      updated_at: NOW + 1,
    });
    assert.deepEqual(
      await store.commandForTeam('t2'),
      { team_id: 't2', command_id: 'c2', token_hash: 'h2', updated_at: NOW },
      'unrecorded creator and fields are absent',
    );
    assert.deepEqual(
      (await store.listCommands()).map((c) => c.team_id),
      ['t1', 't2'],
    );
    await store.deleteCommand('t2');
    assert.equal(await store.commandForTeam('t2'), undefined);
    await store.deleteInstallation();
    assert.equal(await store.getInstallation(), undefined);
    assert.deepEqual(await store.listCommands(), []);
  });
});

onEachBackend('sessions', ({ database }) => {
  it('when a session is created, then get finds it until it expires, delete removes it, and prune removes only expired ones', async () => {
    const store = new SqlSessionStore(database().db);
    await store.create({ id_hash: 'live', user_id: 'u1', created_at: NOW, expires_at: NOW + 60_000 });
    await store.create({ id_hash: 'old', user_id: 'u2', created_at: NOW - 90_000, expires_at: NOW - 1 });
    assert.deepEqual(await store.get('live', NOW), { id_hash: 'live', user_id: 'u1', created_at: NOW, expires_at: NOW + 60_000 });
    assert.equal(await store.get('live', NOW + 60_000), undefined);
    assert.equal(await store.get('old', NOW), undefined);
    assert.equal(await store.prune(NOW), 1);
    assert.ok(await store.get('live', NOW));
    await store.delete('live');
    assert.equal(await store.get('live', NOW), undefined);
  });

  it('when a session id hash is reused, then create refuses it (no silent takeover)', async () => {
    const store = new SqlSessionStore(database().db);
    await store.create({ id_hash: 'dup', user_id: 'u1', created_at: NOW, expires_at: NOW + 1000 });
    await assert.rejects(store.create({ id_hash: 'dup', user_id: 'attacker', created_at: NOW, expires_at: NOW + 1000 }));
    assert.equal((await store.get('dup', NOW))?.user_id, 'u1');
  });
});

onEachBackend('one-time records', ({ database }) => {
  const record = (key: string, extra = {}) => ({
    key_hash: key,
    purpose: 'link' as const,
    user_id: 'u1',
    provider_id: 'gitlab',
    expires_at: NOW + 600_000,
    ...extra,
  });

  it('when a record is taken, then it comes back whole once, and a second take finds nothing', async () => {
    const store = new SqlOneTimeStore(database().db);
    await store.put(record('k1', { data: '{"x":1}' }));
    await store.put(record('k2'));
    assert.deepEqual(await store.take('k1', 'link', NOW), record('k1', { data: '{"x":1}' }));
    assert.equal(await store.take('k1', 'link', NOW), undefined);
    assert.deepEqual(await store.take('k2', 'link', NOW), record('k2'));
  });

  it('when the purpose differs or the record expired, then take returns nothing; prune removes the expired', async () => {
    const store = new SqlOneTimeStore(database().db);
    await store.put(record('flow1', { purpose: 'flow' }));
    await store.put(record('gone', { expires_at: NOW }));
    assert.equal(await store.take('flow1', 'link', NOW), undefined);
    assert.equal(await store.take('gone', 'link', NOW), undefined);
    assert.equal(await store.prune(NOW), 1);
    assert.equal((await store.take('flow1', 'flow', NOW))?.purpose, 'flow');
  });

  it('when a key is claimed, then a second claim fails until the record is taken, and holds tells whether it is held', async () => {
    const store = new SqlOneTimeStore(database().db);
    const nonce = record('nonce1', { purpose: 'dialog' });
    assert.equal(await store.holds('nonce1', 'dialog', NOW), false);
    assert.equal(await store.claim(nonce), true);
    assert.equal(await store.claim(nonce), false);
    assert.equal(await store.holds('nonce1', 'dialog', NOW), true);
    assert.equal(await store.holds('nonce1', 'link', NOW), false, 'another purpose');
    assert.equal(await store.holds('nonce1', 'dialog', nonce.expires_at), false, 'expired');
    assert.deepEqual(await store.take('nonce1', 'dialog', NOW), nonce);
    assert.equal(await store.claim(nonce), true, 'claimable again once handed back');
  });

  it('when 50 claims of one key race, then exactly one succeeds', async () => {
    const store = new SqlOneTimeStore(database().db);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.claim(record(`claim${round}`, { purpose: 'dialog' }))));
      assert.equal(results.filter(Boolean).length, 1, `round ${round}`);
    }
  });

  it('when 50 takes of one key race, then exactly one gets the record', async () => {
    const store = new SqlOneTimeStore(database().db);
    for (let round = 0; round < 3; round++) {
      await store.put(record(`race${round}`));
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take(`race${round}`, 'link', NOW)));
      assert.equal(results.filter((r) => r !== undefined).length, 1, `round ${round}`);
    }
  });
});
