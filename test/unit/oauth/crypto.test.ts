import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { TokenCipherError, createTokenCipher, deriveFlowSecrets } from '../../../src/oauth/crypto.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const SECRET = 'refresh-token-do-not-leak-1234567890';

function thrownBy(work: () => unknown): TokenCipherError {
  try {
    work();
  } catch (err) {
    assert.ok(err instanceof TokenCipherError, `expected a TokenCipherError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

describe('token cipher', () => {
  it('when a token is sealed and opened with the same key, then the plaintext comes back and is not stale', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    const sealed = cipher.seal(SECRET);
    assert.match(sealed, /^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes(SECRET));
    assert.deepEqual(cipher.open(sealed), { plaintext: SECRET, stale: false });
  });

  it('when the same plaintext is sealed twice, then the two sealed values differ (random IV)', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    assert.notEqual(cipher.seal(SECRET), cipher.seal(SECRET));
  });

  it('when any part of a sealed value is altered, then open refuses it with decrypt_failed', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    const [version, kid, iv, data] = cipher.seal(SECRET).split('.') as [string, string, string, string];
    const flip = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
    for (const tampered of [[version, kid, flip(iv), data], [version, kid, iv, flip(data)], [version, kid, iv, data.slice(0, -4)]]) {
      assert.equal(thrownBy(() => cipher.open(tampered.join('.'))).reason, 'decrypt_failed');
    }
  });

  it('when the key id in a sealed value is swapped for another configured key, then open refuses it', () => {
    const cipher = createTokenCipher({ keys: [k1, k2], currentKeyId: 'k1' });
    const swapped = cipher.seal(SECRET).replace('v1.k1.', 'v1.k2.');
    assert.equal(thrownBy(() => cipher.open(swapped)).reason, 'decrypt_failed');
  });

  it('when the keys rotate, then values sealed with the old key open as stale and re-seal with the new one', () => {
    const before = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    const after = createTokenCipher({ keys: [k2, k1], currentKeyId: 'k2' });
    const old = before.seal(SECRET);
    assert.deepEqual(after.open(old), { plaintext: SECRET, stale: true });
    const resealed = after.seal(after.open(old).plaintext);
    assert.deepEqual(after.open(resealed), { plaintext: SECRET, stale: false });
  });

  it('when the key a value was sealed with is missing, then the error names that key id and no secret', () => {
    const sealed = createTokenCipher({ keys: [k1], currentKeyId: 'k1' }).seal(SECRET);
    const err = thrownBy(() => createTokenCipher({ keys: [k2], currentKeyId: 'k2' }).open(sealed));
    assert.equal(err.reason, 'unknown_key');
    assert.equal(err.keyId, 'k1');
    assert.match(err.message, /"k1"/);
    assert.ok(!err.message.includes(SECRET) && !err.message.includes(k1.key.toString('base64')));
  });

  it('when a different key has the same id, then open fails with a clear decrypt_failed naming the key id', () => {
    const sealed = createTokenCipher({ keys: [k1], currentKeyId: 'k1' }).seal(SECRET);
    const impostor = createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });
    const err = thrownBy(() => impostor.open(sealed));
    assert.equal(err.reason, 'decrypt_failed');
    assert.match(err.message, /"k1"/);
    assert.ok(!err.message.includes(SECRET));
  });

  it('when a stored value is not a sealed value, then open reports it as malformed without echoing it', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    for (const junk of ['', SECRET, 'v2.k1.a.b', 'v1.k1.a']) {
      const err = thrownBy(() => cipher.open(junk));
      assert.equal(err.reason, 'malformed');
      assert.ok(!err.message.includes(SECRET));
    }
  });

  it('when the key list is invalid, then creating the cipher fails with an admin message', () => {
    assert.match(thrownBy(() => createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(16) }], currentKeyId: 'k1' })).message, /32 bytes/);
    assert.match(thrownBy(() => createTokenCipher({ keys: [k1], currentKeyId: 'k9' })).message, /"k9"/);
    assert.match(thrownBy(() => createTokenCipher({ keys: [{ id: 'bad.id', key: randomBytes(32) }], currentKeyId: 'bad.id' })).message, /key id/);
    assert.match(thrownBy(() => createTokenCipher({ keys: [k1, k1], currentKeyId: 'k1' })).message, /twice/);
  });
});

describe('flow secrets', () => {
  const key = randomBytes(32);

  it('when derived twice from one state, then the verifier and nonce are the same (nothing to store)', () => {
    assert.deepEqual(deriveFlowSecrets(key, 'state-1'), deriveFlowSecrets(key, 'state-1'));
  });

  it('when derived, then the verifier is 43+ base64url characters (RFC 7636) and differs from the nonce', () => {
    const { code_verifier, nonce } = deriveFlowSecrets(key, 'state-1');
    assert.match(code_verifier, /^[A-Za-z0-9_-]{43,128}$/);
    assert.match(nonce, /^[A-Za-z0-9_-]{43,}$/);
    assert.notEqual(code_verifier, nonce);
  });

  it('when the state or the key differs, then the secrets differ', () => {
    const base = deriveFlowSecrets(key, 'state-1');
    assert.notEqual(deriveFlowSecrets(key, 'state-2').code_verifier, base.code_verifier);
    assert.notEqual(deriveFlowSecrets(randomBytes(32), 'state-1').code_verifier, base.code_verifier);
  });

  it('when the key is short or the state empty, then it refuses', () => {
    assert.throws(() => deriveFlowSecrets(randomBytes(8), 'state-1'), TokenCipherError);
    assert.throws(() => deriveFlowSecrets(key, ''), TokenCipherError);
  });
});
