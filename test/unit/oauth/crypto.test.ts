import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sealV1 } from '../../support/sealed_slots.js';
import { type SealBinding, TokenCipherError, createTokenCipher, deriveFlowSecrets } from '../../../packages/engine/src/crypto.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const SECRET = 'refresh-token-do-not-leak-1234567890';
const SLOT: SealBinding = { kind: 'token', provider_id: 'idp', user_id: 'u1', origin: 'https://idp.example', scope: 'oauth2-connect' };

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
    const sealed = cipher.seal(SECRET, SLOT);
    assert.match(sealed, /^v2\.k1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes(SECRET));
    assert.deepEqual(cipher.open(sealed, SLOT), { plaintext: SECRET, stale: false });
  });

  it('when the same plaintext is sealed twice, then the two sealed values differ (random IV)', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    assert.notEqual(cipher.seal(SECRET, SLOT), cipher.seal(SECRET, SLOT));
  });

  it('when any part of a sealed value is altered, then open refuses it with decrypt_failed', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    const [version, kid, tag, iv, data] = cipher.seal(SECRET, SLOT).split('.') as [string, string, string, string, string];
    const flip = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
    for (const tampered of [
      [version, kid, tag, flip(iv), data],
      [version, kid, tag, iv, flip(data)],
      [version, kid, tag, iv, data.slice(0, -4)],
      [version, kid, flip(tag), iv, data],
    ]) {
      assert.equal(thrownBy(() => cipher.open(tampered.join('.'), SLOT)).reason, 'decrypt_failed');
    }
  });

  it('when the key id in a sealed value is swapped for another configured key, then open refuses it', () => {
    const cipher = createTokenCipher({ keys: [k1, k2], currentKeyId: 'k1' });
    const swapped = cipher.seal(SECRET, SLOT).replace('v2.k1.', 'v2.k2.');
    assert.equal(thrownBy(() => cipher.open(swapped, SLOT)).reason, 'decrypt_failed');
  });

  it('when the keys rotate, then values sealed with the old key open as stale and re-seal with the new one', () => {
    const before = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    const after = createTokenCipher({ keys: [k2, k1], currentKeyId: 'k2' });
    const old = before.seal(SECRET, SLOT);
    assert.deepEqual(after.open(old, SLOT), { plaintext: SECRET, stale: true });
    const resealed = after.seal(after.open(old, SLOT).plaintext, SLOT);
    assert.deepEqual(after.open(resealed, SLOT), { plaintext: SECRET, stale: false });
  });

  it('when the key a value was sealed with is missing, then the error names that key id and no secret', () => {
    const sealed = createTokenCipher({ keys: [k1], currentKeyId: 'k1' }).seal(SECRET, SLOT);
    const err = thrownBy(() => createTokenCipher({ keys: [k2], currentKeyId: 'k2' }).open(sealed, SLOT));
    assert.equal(err.reason, 'unknown_key');
    assert.equal(err.keyId, 'k1');
    assert.match(err.message, /"k1"/);
    assert.ok(!err.message.includes(SECRET) && !err.message.includes(k1.key.toString('base64')));
  });

  it('when a different key has the same id, then open fails with a clear decrypt_failed naming the key id', () => {
    const sealed = createTokenCipher({ keys: [k1], currentKeyId: 'k1' }).seal(SECRET, SLOT);
    const impostor = createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });
    const err = thrownBy(() => impostor.open(sealed, SLOT));
    assert.equal(err.reason, 'decrypt_failed');
    assert.match(err.message, /"k1"/);
    assert.ok(!err.message.includes(SECRET));
  });

  it('when a stored value is not a sealed value, then open reports it as malformed without echoing it', () => {
    const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });
    for (const junk of ['', SECRET, 'v2.k1.a.b', 'v1.k1.a', 'v2.k1.a.b.c.d', 'v3.k1.a.b.c', 'v2.k1..b.c']) {
      const err = thrownBy(() => cipher.open(junk, SLOT));
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

describe('sealed values are bound to their slot', () => {
  const cipher = createTokenCipher({ keys: [k1], currentKeyId: 'k1' });

  it('when a value is opened for another user, provider, origin, kind or App, then it refuses with "does not belong here"', () => {
    const sealed = cipher.seal(SECRET, SLOT);
    const elsewhere: SealBinding[] = [
      { ...SLOT, user_id: 'u2' },
      { ...SLOT, provider_id: 'other' },
      { ...SLOT, origin: 'https://attacker.example' },
      { ...SLOT, scope: 'another-app' },
      { kind: 'client_secret', provider_id: 'idp', origin: 'https://idp.example', scope: 'oauth2-connect' },
    ];
    for (const binding of elsewhere) {
      const err = thrownBy(() => cipher.open(sealed, binding));
      assert.equal(err.reason, 'wrong_binding', JSON.stringify(binding));
      assert.match(err.message, /does not belong here/);
      assert.ok(!err.message.includes(SECRET) && !err.message.includes('u1'));
    }
  });

  it('when fields are split differently but concatenate the same, then the slots still differ', () => {
    const sealed = cipher.seal(SECRET, { kind: 'token', provider_id: 'ab', user_id: 'c' });
    assert.equal(thrownBy(() => cipher.open(sealed, { kind: 'token', provider_id: 'a', user_id: 'bc' })).reason, 'wrong_binding');
  });

  it('when the binding tag is copied from a value of the wanted slot, then the ciphertext still refuses (the binding is in the additional data)', () => {
    const mine = cipher.seal(SECRET, SLOT).split('.');
    const theirs = cipher.seal('other-users-token-0000', { ...SLOT, user_id: 'u2' }).split('.');
    const forged = [theirs[0], theirs[1], mine[2], theirs[3], theirs[4]].join('.');
    assert.equal(thrownBy(() => cipher.open(forged, SLOT)).reason, 'decrypt_failed');
  });

  it('when a token or client secret is sealed without its owner, then sealing refuses', () => {
    assert.equal(thrownBy(() => cipher.seal(SECRET, { kind: 'token', provider_id: 'idp' })).reason, 'invalid_binding');
    assert.equal(thrownBy(() => cipher.seal(SECRET, { kind: 'client_secret' })).reason, 'invalid_binding');
  });

  it('when a value of the first format (v1, unbound) is opened, then it opens as stale and re-seals into the bound format', () => {
    const legacy = sealV1('k1', k1.key, SECRET);
    assert.deepEqual(cipher.open(legacy, SLOT), { plaintext: SECRET, stale: true });
    const resealed = cipher.seal(cipher.open(legacy, SLOT).plaintext, SLOT);
    assert.match(resealed, /^v2\.k1\./);
    assert.deepEqual(cipher.open(resealed, SLOT), { plaintext: SECRET, stale: false });
    assert.equal(thrownBy(() => cipher.open(resealed, { ...SLOT, user_id: 'u2' })).reason, 'wrong_binding');
  });

  it('when the cipher refuses the unbound format (acceptUnbound false), then a v1 value does not open and the error says why, naming no secret', () => {
    const strict = createTokenCipher({ keys: [k1], currentKeyId: 'k1', acceptUnbound: false });
    const refused = thrownBy(() => strict.open(sealV1('k1', k1.key, SECRET), SLOT));
    assert.equal(refused.reason, 'unbound_refused');
    assert.match(refused.message, /first sealed format \(v1.*its option acceptUnbound is false/);
    assert.ok(!refused.message.includes(SECRET));
    const sealed = strict.seal(SECRET, SLOT);
    assert.deepEqual(strict.open(sealed, SLOT), { plaintext: SECRET, stale: false }, 'the bound format still opens');
  });

  it('when a v1 value was altered or sealed with another key, then it is refused like any other', () => {
    const legacy = sealV1('k1', randomBytes(32), SECRET);
    assert.equal(thrownBy(() => cipher.open(legacy, SLOT)).reason, 'decrypt_failed');
  });
});
