// The Apps host's answer to a stored secret that does not open: the cipher's reason decides the text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mapError } from '../../../src/hosts/apps/calls/error_mapper.js';
import { createTokenCipher, type SealBinding } from '../../../packages/engine/src/crypto.js';
import { sealV1 } from '../../support/sealed_slots.js';

const SLOT: SealBinding = { kind: 'token', provider_id: 'idp', user_id: 'u1', origin: 'https://idp.example', scope: 'oauth2-connect' };
const key = { id: 'k1', key: randomBytes(32) };

function failureOf(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  assert.fail('expected a throw');
}

describe('Apps host: a stored secret that does not open', () => {
  it('when APP_ACCEPT_UNBOUND_SEALED=false refuses a v1 value, then the user reads that the format is refused, not that the key is wrong', () => {
    const strict = createTokenCipher({ keys: [key], currentKeyId: 'k1', acceptUnbound: false });
    const mapped = mapError(failureOf(() => strict.open(sealV1('k1', key.key, 'gho_secret'), SLOT)));
    assert.equal(mapped.code, 'unbound_refused');
    assert.match(JSON.stringify(mapped.response), /first sealed format \(v1.*APP_ACCEPT_UNBOUND_SEALED=false\)\. Nothing was deleted\. Reconnect/);
    assert.doesNotMatch(JSON.stringify(mapped.response), /missing or wrong|gho_secret/);
  });

  it('when the key is missing, then the key message; when the slot differs, then "does not belong here"', () => {
    const sealed = createTokenCipher({ keys: [key], currentKeyId: 'k1' }).seal('gho_secret', SLOT);
    const other = createTokenCipher({ keys: [{ id: 'k2', key: randomBytes(32) }], currentKeyId: 'k2' });
    const missing = mapError(failureOf(() => other.open(sealed, SLOT)));
    assert.equal(missing.code, 'key_error');
    assert.match(JSON.stringify(missing.response), /The App cannot decrypt its stored secrets: its encryption key is missing or wrong/);
    const moved = mapError(failureOf(() => createTokenCipher({ keys: [key], currentKeyId: 'k1' }).open(sealed, { ...SLOT, user_id: 'u2' })));
    assert.equal(moved.code, 'wrong_binding');
    assert.match(JSON.stringify(moved.response), /does not belong here/);
  });
});
