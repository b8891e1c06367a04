import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resignDialogState, signDialogState, verifyDialogState } from '../../../src/hosts/standalone/dialogs/state.js';

const key = randomBytes(32);
const NOW = 1_800_000_000_000;
const input = { user_id: 'u'.repeat(26), purpose: 'provider.edit', target: 'github', shown: 'oidc' };
const expected = { user_id: input.user_id, purpose: input.purpose };

/** Re-encodes the payload with one field changed, keeping the original MAC. */
function tamper(state: string, index: number, value: unknown): string {
  const [version, payload, mac] = state.split('.');
  const fields = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as unknown[];
  fields[index] = value;
  return `${version}.${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${mac}`;
}

describe('dialog state HMAC', () => {
  it('when nothing was changed, then it verifies and gives back user, purpose and target', () => {
    const check = verifyDialogState(key, signDialogState(key, input, NOW), expected, NOW + 1000);
    assert.equal(check.ok, true);
    assert.equal(check.ok && check.state.target, 'github');
  });

  for (const [index, name, value] of [
    [0, 'user', 'v'.repeat(26)],
    [1, 'purpose', 'provider.remove'],
    [2, 'target', 'gitlab'],
    [3, 'expiry', NOW + 10 ** 9],
    [4, 'nonce', 'other'],
    [5, 'shown form', 'github'],
  ] as const) {
    it(`when the ${name} is changed, then the signature no longer verifies`, () => {
      const check = verifyDialogState(key, tamper(signDialogState(key, input, NOW), index, value), expected, NOW);
      assert.deepEqual(check, { ok: false, reason: 'This dialog is not one the service opened.' });
    });
  }

  it('when the MAC is changed or the state is signed with another key, then it is refused', () => {
    const state = signDialogState(key, input, NOW);
    const flipped = state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A');
    assert.equal(verifyDialogState(key, flipped, expected, NOW).ok, false);
    assert.equal(verifyDialogState(randomBytes(32), state, expected, NOW).ok, false);
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', `${state}.x`]) assert.equal(verifyDialogState(key, junk, expected, NOW).ok, false, junk);
  });

  it('when it has expired, then it is refused as expired', () => {
    const state = signDialogState(key, input, NOW, 60_000);
    assert.equal(verifyDialogState(key, state, expected, NOW + 59_999).ok, true);
    assert.deepEqual(verifyDialogState(key, state, expected, NOW + 60_000), { ok: false, reason: 'This dialog has expired. Run the command again.' });
  });

  it('when another user submits it, then it is refused', () => {
    const check = verifyDialogState(key, signDialogState(key, input, NOW), { ...expected, user_id: 'w'.repeat(26) }, NOW);
    assert.deepEqual(check, { ok: false, reason: 'This dialog was opened for another user.' });
  });

  it('when a refreshed form is signed again, then user, purpose, expiry and nonce stay and only target and shown form change', () => {
    const first = verifyDialogState(key, signDialogState(key, input, NOW), expected, NOW);
    assert.ok(first.ok);
    const again = verifyDialogState(key, resignDialogState(key, first.state, { target: 'gitlab', shown: 'gitlab' }), expected, NOW + 60_000);
    assert.ok(again.ok);
    assert.deepEqual(again.state, { ...first.state, target: 'gitlab', shown: 'gitlab' });
    assert.deepEqual(verifyDialogState(key, resignDialogState(key, first.state, first.state), expected, first.state.expires_at), {
      ok: false,
      reason: 'This dialog has expired. Run the command again.',
    });
  });

  it('when two dialogs are signed for the same input, then their nonces differ', () => {
    const nonce = (state: string) => {
      const check = verifyDialogState(key, state, expected, NOW);
      return check.ok ? check.state.nonce : assert.fail(JSON.stringify(check));
    };
    assert.notEqual(nonce(signDialogState(key, input, NOW)), nonce(signDialogState(key, input, NOW)));
  });

  it('when it comes back under another purpose (callback_id), then it is refused', () => {
    const check = verifyDialogState(key, signDialogState(key, input, NOW), { ...expected, purpose: 'provider.remove' }, NOW);
    assert.deepEqual(check, { ok: false, reason: 'This dialog does not match its action.' });
  });
});
