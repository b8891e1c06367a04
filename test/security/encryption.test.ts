import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createTokenCipher } from '../../packages/engine/src/crypto.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { command, connect, register, say, summaryOf, textOf } from './support/flows.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
let erin: ScenarioUser;
const firstKey = randomBytes(32).toString('base64');
const secondKey = randomBytes(32).toString('base64');

const keyIdOf = (raw: string | undefined) => (JSON.parse(raw ?? '{}') as { s?: string }).s?.split('.')[1];

/** Every 12-character window of `secret`: none may appear in a stored value. */
function windows(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 12 <= secret.length; i += 1) out.push(secret.slice(i, i + 12));
  return out;
}

describe('encryption at rest', () => {
  before(async () => {
    world = await startSecurityWorld({ env: { APP_ENCRYPTION_KEY: firstKey, APP_ENCRYPTION_KEY_ID: 'k1' } });
    erin = await world.backend.createUser('erin');
    await register(world);
    await connect(world, erin, 'erin');
  });
  after(() => world?.finish('encryption'));

  it('when a token is stored, then the KV value holds no substring of any token and the provider list no client secret', () => {
    const raw = world.storedRaw(erin, 'idp');
    const tokens = world.storedTokens(erin, 'idp');
    assert.ok(raw && tokens?.access_token && tokens.refresh_token && tokens.id_token);
    for (const secret of [tokens.access_token, tokens.refresh_token, tokens.id_token]) {
      for (const w of windows(secret)) assert.ok(!raw.includes(w), 'no plaintext token substring in the stored value');
    }
    const appData = JSON.stringify(world.backend.fake.state.oauth2App);
    for (const w of windows(world.provider.clients.basic.client_secret!)) assert.ok(!appData.includes(w), 'no client secret substring in oauth2/app');
    assert.equal(keyIdOf(raw), 'k1');
  });

  it('when the stored value is opened with another key, then it cannot be read', () => {
    const sealed = (JSON.parse(world.storedRaw(erin, 'idp')!) as { s: string }).s;
    const stranger = createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });
    assert.throws(() => stranger.open(sealed, { kind: 'token', provider_id: 'idp', user_id: erin.id }), { name: 'TokenCipherError' });
  });

  it('when the App restarts with a new key and the old one as previous, then a read re-encrypts the token with the new key', async () => {
    const before = world.storedTokens(erin, 'idp')!;
    await world.restartApp({ APP_ENCRYPTION_KEY: secondKey, APP_ENCRYPTION_KEY_ID: 'k2', APP_PREVIOUS_ENCRYPTION_KEYS: `k1:${firstKey}` });
    const who = await say(world, erin, ['whoami'], { provider: 'idp' });
    assert.match(who, /you are \*\*erin\*\*/);
    assert.equal(keyIdOf(world.storedRaw(erin, 'idp')), 'k2', 'the stored value is now sealed with k2');
    assert.equal(world.storedTokens(erin, 'idp')!.refresh_token, before.refresh_token, 'the same token, re-encrypted');
  });

  it('when the App restarts with a wrong key, then users get a clear key error, nothing is deleted, and the key restored brings it back', async () => {
    const rawBefore = world.storedRaw(erin, 'idp');
    await world.restartApp({ APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_ENCRYPTION_KEY_ID: 'k2', APP_PREVIOUS_ENCRYPTION_KEYS: '' });
    const who = await command(world, erin, ['whoami'], { provider: 'idp' });
    assert.equal(who.type, 'error');
    assert.match(textOf(who), /encryption key is missing or wrong.*Nothing was deleted/);
    const status = await say(world, erin, ['status']);
    assert.match(status, /`idp`\): :warning: .*encryption key/, 'status still lists the connection, naming the key');
    assert.doesNotMatch(status, /not connected/);
    assert.equal(world.storedRaw(erin, 'idp'), rawBefore, 'the sealed token is untouched');
    assert.ok(summaryOf(world, erin)?.connections?.idp, 'the connection summary is untouched');
    assert.ok(
      world.app.logs.some((l) => l.includes('"outcome":"key_error"')),
      'the admin finds key_error in the log',
    );

    await world.restartApp({ APP_ENCRYPTION_KEY: secondKey, APP_ENCRYPTION_KEY_ID: 'k2', APP_PREVIOUS_ENCRYPTION_KEYS: `k1:${firstKey}` });
    assert.match(await say(world, erin, ['whoami'], { provider: 'idp' }), /you are \*\*erin\*\*/);
  });
});
