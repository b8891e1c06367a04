import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createTokenCipher, type TokenCipherError } from '../../../packages/engine/src/crypto.js';
import { loadConfig } from '../../../src/config/index.js';
import { createDeps } from '../../../src/service.js';
import { sealV1 } from '../../support/sealed_slots.js';
import { createStandaloneSealer, STANDALONE_SEAL_SCOPE } from '../../../src/hosts/standalone/db/sealer.js';
import { commandTokenValid, hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';

const keys = { encryptionKeys: [{ id: 'k', key: randomBytes(32) }], currentKeyId: 'k' };
const token = { kind: 'token' as const, user_id: 'u1', provider_id: 'p1', origin: 'https://idp.example' };

describe('the standalone sealer', () => {
  it('when a value sealed by the standalone host is opened with the same binding, then it opens', () => {
    const sealer = createStandaloneSealer(keys);
    assert.equal(sealer.open(sealer.seal('secret', token), token).plaintext, 'secret');
  });

  it('when a value sealed with the bare cipher (another host) is opened here, then it does not open, and the other way round', () => {
    const bare = createTokenCipher({ keys: keys.encryptionKeys, currentKeyId: 'k' });
    const sealer = createStandaloneSealer(keys);
    assert.throws(() => sealer.open(bare.seal('secret', token), token));
    assert.throws(() => bare.open(sealer.seal('secret', token), token));
    assert.throws(() => sealer.open(bare.seal('secret', { ...token, scope: 'com.github.oauth2-connect' }), { ...token, scope: 'com.github.oauth2-connect' }));
  });

  it('when the core already scoped a binding to this host, then it seals and opens the same as the unscoped binding', () => {
    const sealer = createStandaloneSealer(keys);
    assert.equal(sealer.open(sealer.seal('s', token), { ...token, scope: STANDALONE_SEAL_SCOPE }).plaintext, 's');
  });

  it("when APP_ACCEPT_UNBOUND_SEALED=false, then both hosts' sealers refuse a v1 value with unbound_refused; unset, they open it as stale", () => {
    const env = { APP_ENCRYPTION_KEY: keys.encryptionKeys[0]!.key.toString('base64'), APP_ENCRYPTION_KEY_ID: 'k' };
    const legacy = sealV1('k', keys.encryptionKeys[0]!.key, 'old-secret');
    const strict = loadConfig({ ...env, APP_ACCEPT_UNBOUND_SEALED: 'false' });
    for (const sealer of [createStandaloneSealer(strict), createDeps(strict).sealer]) {
      assert.throws(
        () => sealer.open(legacy, token),
        (err: TokenCipherError) => err.reason === 'unbound_refused' && /first sealed format/.test(err.message),
      );
    }
    const lenient = loadConfig(env);
    for (const sealer of [createStandaloneSealer(lenient), createDeps(lenient).sealer]) {
      assert.deepEqual(sealer.open(legacy, token), { plaintext: 'old-secret', stale: true });
    }
  });

  it("when a setting's scope differs, then the value does not open", () => {
    const sealer = createStandaloneSealer(keys);
    assert.throws(() => sealer.open(sealer.seal('bot', { kind: 'setting', scope: 'bot_token' }), { kind: 'setting', scope: 'oauth_client_secret' }));
  });
});

describe('the command token check uses setup’s hash', () => {
  const store = (hash: string) => ({
    commandForTeam: async (teamId: string) => (teamId === 't' ? { team_id: 't', command_id: 'c', token_hash: hash, updated_at: 0 } : undefined),
  });

  it('accepts the token whose hash setup stored, refuses any other token or team', async () => {
    const installation = store(hashCommandToken('right'));
    assert.equal(await commandTokenValid(installation, 't', 'right'), true);
    assert.equal(await commandTokenValid(installation, 't', 'wrong'), false);
    assert.equal(await commandTokenValid(installation, 'other', 'right'), false);
  });
});
