/**
 * The move from the Apps host to the standalone host, piece by piece, on a
 * real SQLite file with the two hosts' real sealers over one key: what is
 * copied, what is refused and why (another origin, another user's token, a
 * newer connection), and what the ledger counts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyProvider } from '../../../src/core/apps_move/copy_providers.js';
import { copyUserConnections, type AppsUserStores } from '../../../src/core/apps_move/copy_user.js';
import type { MoveTarget } from '../../../src/core/apps_move/ports.js';
import { openProvider } from '../../../src/core/providers.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { clientSecretSlot, tokenSlot } from '../../../src/core/seal_slots.js';
import { toProviderConfig } from '../../../src/core/provider_records.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { appsSealer } from '../../../src/hosts/apps/store/sealer.js';
import { createRepositories } from '../../../src/hosts/standalone/db/index.js';
import { standaloneSealer } from '../../../src/hosts/standalone/db/sealer.js';
import type { TokenSet } from '../../../packages/engine/src/index.js';
import { createScratch, testSealer, type Scratch } from '../../support/standalone_db.js';

const cipher = testSealer();
const apps = appsSealer(cipher);
const logger = createMemoryLogger();
const from = { sealer: apps, logger };

function provider(id: string, issuer: string, secret: string, display = `IdP ${id}`): StoredProvider {
  const base: StoredProvider = {
    id,
    display_name: display,
    preset: 'oidc',
    issuer,
    client_id: 'client',
    auth: 'client_secret_basic',
    scopes: ['openid'],
    created_at: 1,
    updated_at: 1,
  };
  return { ...base, sealed_secret: apps.seal(secret, clientSecretSlot(toProviderConfig(base, undefined))) };
}

const tokens = (value: string): TokenSet => ({
  access_token: `at-${value}`,
  refresh_token: `rt-${value}`,
  token_type: 'Bearer',
  obtained_at: 5,
  expires_at: 9_000,
});

/** A user's Apps stores: their tokens sealed by the Apps host for the slot each was issued in. */
function appsUser(userId: string, held: Array<{ provider: StoredProvider; sealedFor?: string; value: string; since?: number }>): AppsUserStores {
  const sealed = new Map(held.map((h) => [h.provider.id, apps.seal(JSON.stringify(tokens(h.value)), tokenSlot(h.sealedFor ?? userId, h.provider))]));
  return {
    userId,
    connections: Object.fromEntries(held.map((h) => [h.provider.id, { label: h.value, sub: h.value, since: h.since ?? 10 }])),
    tokens: async (id, slot) => {
      const value = sealed.get(id);
      return value === undefined ? undefined : (JSON.parse(apps.open(value, slot).plaintext) as TokenSet);
    },
  };
}

describe('the move from the Apps host, piece by piece', () => {
  let scratch: Scratch;
  let target: MoveTarget;

  before(async () => {
    scratch = await createScratch('sqlite');
    const repositories = createRepositories(await scratch.open(), standaloneSealer(cipher));
    target = {
      notReady: async () => undefined,
      providers: repositories.providers,
      connections: repositories.connections,
      sealer: standaloneSealer(cipher),
      ledger: repositories.appsImport,
    };
  });
  after(async () => {
    await scratch.dispose();
  });

  it('when a provider is copied, then only the standalone sealer opens its secret there; a second copy finds it; a changed one is updated', async () => {
    const idp = provider('idp', 'https://idp.example', 'secret-1');
    assert.equal((await copyProvider(idp, from, target)).outcome, 'copied');
    const copied = (await target.providers.get('idp'))!;
    assert.equal(openProvider(copied, { sealer: target.sealer, logger }).client_secret, 'secret-1');
    assert.throws(() => openProvider(copied, from), 'the Apps sealer does not open the copy');
    assert.equal((await copyProvider(idp, from, target)).outcome, 'already copied');
    assert.equal((await copyProvider(provider('idp', 'https://idp.example', 'secret-2'), from, target)).outcome, 'updated');
    assert.equal(openProvider((await target.providers.get('idp'))!, { sealer: target.sealer, logger }).client_secret, 'secret-2');
  });

  it('when the standalone host has a provider of that short name at another origin, then it is left as it is', async () => {
    const theirs = provider('corp', 'https://corp-new.example', 'x');
    await target.providers.save({ ...theirs, sealed_secret: 'kept' });
    assert.equal((await copyProvider(provider('corp', 'https://corp-old.example', 'y'), from, target)).outcome, 'other origin');
    assert.equal((await target.providers.get('corp'))?.sealed_secret, 'kept');
  });

  it('when a user is copied, then a token is copied only for its own user and origin, a newer standalone connection is kept, and the ledger counts it', async () => {
    const idp = provider('idp', 'https://idp.example', 'secret-2');
    const corpOld = provider('corp', 'https://corp-old.example', 'y');
    const gh = provider('gh', 'https://gh.example', 'z');
    await copyProvider(gh, from, target);
    await target.ledger.know(
      [
        { user_id: 'u1', provider_id: 'idp' },
        { user_id: 'u2', provider_id: 'idp' },
      ],
      1,
    );
    await target.connections.save({
      user_id: 'u1',
      provider_id: 'gh',
      connection: { label: 'mine', sub: 'mine', since: 50 },
      tokens: tokens('mine'),
      origin: 'https://gh.example',
    });
    const result = await copyUserConnections(
      appsUser('u1', [
        { provider: idp, value: 'u1-idp' },
        { provider: corpOld, value: 'u1-corp' },
        { provider: gh, value: 'u1-gh', since: 10 },
      ]),
      target,
      100,
    );
    assert.deepEqual(result.copied, ['idp']);
    assert.deepEqual(result.skipped, [
      { provider_id: 'corp', reason: 'sealed for another user, provider or origin' },
      { provider_id: 'gh', reason: 'newer on the standalone host' },
    ]);
    assert.equal((await target.connections.get('u1', 'idp'))?.tokens.access_token, 'at-u1-idp');
    assert.equal((await target.connections.get('u1', 'gh'))?.tokens.access_token, 'at-mine');

    // u3's stores hold u2's token (a value moved between users): it does not open for u3, so nothing is copied.
    const moved = await copyUserConnections(appsUser('u3', [{ provider: idp, sealedFor: 'u2', value: 'u2-idp' }]), target, 100);
    assert.deepEqual(moved.copied, []);
    assert.equal(await target.connections.get('u3', 'idp'), undefined);

    const progress = await target.ledger.progress();
    assert.deepEqual(
      { ...progress, usersEnabledAt: undefined },
      { knownUsers: 3, visitedUsers: 2, copiedUsers: 1, copiedConnections: 1, usersEnabledAt: undefined },
    );
    assert.deepEqual(await target.ledger.notCopied('u2'), ['idp'], 'u2 never called: told to reconnect after the upgrade');
    assert.deepEqual(await target.ledger.notCopied('u1'), ['corp', 'gh']);
  });
});
