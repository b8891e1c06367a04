/**
 * Key rotation on the real storage (SQLite and PostgreSQL): every sealed
 * value moves under the current key in bounded batches, a value the service
 * replaces during the run is never overwritten with the stale one, a second
 * run changes nothing, a run stopped half-way is finished by the next, and
 * afterwards everything opens without the previous key.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ConnectionRow } from '../../../src/core/ports.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import { toProviderConfig } from '../../../src/core/provider_records.js';
import { createRepositories, type StandaloneDatabase } from '../../../src/hosts/standalone/db/index.js';
import { createStandaloneSealer, type SealingKeys } from '../../../src/hosts/standalone/db/sealer.js';
import { previousKeysNeeded, rotateSealedValues, type KindReport } from '../../../src/hosts/standalone/db/key_rotation.js';
import { onEachBackend } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;
const USERS = 23;
const BATCH = 5;
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const ONLY_K1: SealingKeys = { encryptionKeys: [k1], currentKeyId: 'k1' };
const ROTATING: SealingKeys = { encryptionKeys: [k2, k1], currentKeyId: 'k2' };
const ONLY_K2: SealingKeys = { encryptionKeys: [k2], currentKeyId: 'k2' };

const repositories = (database: StandaloneDatabase, keys: SealingKeys) => createRepositories(database, createStandaloneSealer(keys), () => NOW);

function connection(user: string, accessToken = `at-${user}`): ConnectionRow {
  return {
    user_id: user,
    provider_id: 'corp',
    origin: 'https://idp.example',
    connection: { label: `${user}@corp`, sub: `sub-${user}`, since: NOW },
    tokens: { access_token: accessToken, token_type: 'Bearer', refresh_token: `rt-${user}`, obtained_at: NOW },
  };
}

const provider = (id: string, secret: string | undefined, sealKeys: SealingKeys): StoredProvider => {
  const bare: StoredProvider = {
    id,
    display_name: id,
    preset: 'oidc',
    issuer: 'https://idp.example',
    client_id: `client-${id}`,
    auth: secret === undefined ? 'none' : 'client_secret_post',
    scopes: ['openid'],
    created_at: NOW,
    updated_at: NOW,
  };
  if (secret === undefined) return bare;
  return { ...bare, sealed_secret: createStandaloneSealer(sealKeys).seal(secret, clientSecretSlot(toProviderConfig(bare, undefined))) };
};

const users = Array.from({ length: USERS }, (_, i) => `user${String(i).padStart(2, '0')}`);

async function seedUnderK1(database: StandaloneDatabase): Promise<void> {
  await database.db.deleteFrom('connections').execute();
  await database.db.deleteFrom('providers').execute();
  const repos = repositories(database, ONLY_K1);
  await repos.providers.save(provider('corp', 'corp-client-secret', ONLY_K1));
  await repos.providers.save(provider('public', undefined, ONLY_K1));
  for (const user of users) await repos.connections.save(connection(user));
  await repos.installation.saveInstallation({
    mattermost_url: 'http://mm.example',
    bot_user_id: 'bot',
    bot_username: 'oauth2-connect',
    bot_token: 'the-bot-token',
    oauth_client_id: 'signin',
    oauth_client_secret: 'the-signin-secret',
    bot_role: 'regular',
    updated_at: NOW,
  });
}

const byKind = (reports: KindReport[]) => Object.fromEntries(reports.map((r) => [r.kind, r]));

onEachBackend('rotate-key', ({ database }) => {
  it('when the check runs before the rotation, then it counts every sealed value under the previous key, by kind, and changes nothing', async () => {
    await seedUnderK1(database());
    const before = await database().db.selectFrom('connections').select('tokens').orderBy('user_id').execute();
    const reports = byKind(await rotateSealedValues(database().db, ROTATING, { checkOnly: true, batchSize: BATCH }));
    assert.deepEqual(reports['user tokens']?.previous, { k1: USERS });
    assert.deepEqual(reports['provider client secrets']?.previous, { k1: 1 }, 'the public client has no secret to count');
    assert.deepEqual(reports['bot token']?.previous, { k1: 1 });
    assert.deepEqual(reports['sign-in app secret']?.previous, { k1: 1 });
    assert.equal(previousKeysNeeded(Object.values(reports)), USERS + 3);
    assert.deepEqual(await database().db.selectFrom('connections').select('tokens').orderBy('user_id').execute(), before);
  });

  it('when the rotation runs in batches, then every value is re-sealed under the current key, opens without the previous key, and a second run changes nothing', async () => {
    const reports = byKind(await rotateSealedValues(database().db, ROTATING, { batchSize: BATCH }));
    assert.equal(reports['user tokens']?.resealed, USERS);
    assert.equal(reports['provider client secrets']?.resealed, 1);
    assert.equal(reports['bot token']?.resealed, 1);
    assert.equal(reports['sign-in app secret']?.resealed, 1);
    assert.equal(previousKeysNeeded(Object.values(reports)), 0);

    const after = repositories(database(), ONLY_K2);
    for (const user of users) assert.deepEqual((await after.connections.get(user, 'corp'))?.tokens, connection(user).tokens);
    const installation = await after.installation.getInstallation();
    assert.equal(installation?.bot_token, 'the-bot-token');
    assert.equal(installation?.oauth_client_secret, 'the-signin-secret');
    const corp = await after.providers.get('corp');
    assert.equal(
      createStandaloneSealer(ONLY_K2).open(corp!.sealed_secret!, clientSecretSlot(toProviderConfig(corp!, undefined))).plaintext,
      'corp-client-secret',
    );

    const again = await rotateSealedValues(database().db, ROTATING, { batchSize: BATCH });
    assert.deepEqual(
      again.map((r) => [r.kind, r.resealed, r.current]),
      [
        ['user tokens', 0, USERS],
        ['provider client secrets', 0, 1],
        ['bot token', 0, 1],
        ['sign-in app secret', 0, 1],
      ],
    );
  });

  it('when a refresh replaces a token between the read and the write of its batch, then the refreshed token stays (no lost update) and ends under the current key', async () => {
    await seedUnderK1(database());
    // A replica not yet restarted with the new key saves under the old one; the rotation must re-read and re-seal that value, not its stale read.
    const oldReplica = repositories(database(), ONLY_K1);
    const newReplica = repositories(database(), ROTATING);
    // Calls: 1 the first batch (user00-04), 2 its re-read row, 3 the second batch (user05-09).
    let calls = 0;
    const raced: string[] = [];
    const reports = byKind(
      await rotateSealedValues(database().db, ROTATING, {
        batchSize: BATCH,
        beforeWrite: async (kind, keys) => {
          if (kind !== 'user tokens') return;
          calls += 1;
          if (calls !== 1 && calls !== 3) return;
          const userId = keys[0]![0]!;
          raced.push(userId);
          const replica = calls === 1 ? oldReplica : newReplica;
          assert.equal(await replica.connections.saveTokens(userId, 'corp', connection(userId, `refreshed-${userId}`).tokens), true);
        },
      }),
    );
    assert.deepEqual(raced, ['user00', 'user05']);
    assert.equal(previousKeysNeeded(Object.values(reports)), 0);
    const tokens = reports['user tokens']!;
    assert.equal(tokens.resealed + tokens.current, USERS, 'each row counted once: re-sealed by the run, or found under the current key');
    const after = repositories(database(), ONLY_K2);
    assert.equal((await after.connections.get('user00', 'corp'))?.tokens.access_token, 'refreshed-user00');
    assert.equal((await after.connections.get('user05', 'corp'))?.tokens.access_token, 'refreshed-user05');
    assert.equal((await after.connections.get('user01', 'corp'))?.tokens.access_token, 'at-user01');
  });

  it('when a run stops half-way, then the check counts what is left and the next run finishes it', async () => {
    await seedUnderK1(database());
    let batches = 0;
    await assert.rejects(
      rotateSealedValues(database().db, ROTATING, {
        batchSize: BATCH,
        beforeWrite: async () => {
          batches += 1;
          if (batches === 3) throw new Error('stopped');
        },
      }),
      /stopped/,
    );
    const left = byKind(await rotateSealedValues(database().db, ROTATING, { checkOnly: true, batchSize: BATCH }));
    assert.deepEqual(left['user tokens']?.previous, { k1: USERS - 2 * BATCH });
    assert.equal(left['user tokens']?.current, 2 * BATCH);
    const finished = await rotateSealedValues(database().db, ROTATING, { batchSize: BATCH });
    assert.equal(byKind(finished)['user tokens']?.resealed, USERS - 2 * BATCH);
    assert.equal(previousKeysNeeded(finished), 0);
  });

  it('when a sealed value was copied from another row, then it is counted unreadable and named by its ids, and left as it is', async () => {
    const theirs = await database().db.selectFrom('connections').select('tokens').where('user_id', '=', 'user01').executeTakeFirstOrThrow();
    await database().db.updateTable('connections').set({ tokens: theirs.tokens }).where('user_id', '=', 'user02').execute();
    const reports = byKind(await rotateSealedValues(database().db, ROTATING, { batchSize: BATCH }));
    assert.equal(reports['user tokens']?.unreadable, 1);
    assert.deepEqual(reports['user tokens']?.unreadableRows, ['connections user_id=user02 provider_id=corp (wrong_binding)']);
    const still = await database().db.selectFrom('connections').select('tokens').where('user_id', '=', 'user02').executeTakeFirstOrThrow();
    assert.equal(still.tokens, theirs.tokens);
  });
});
