/**
 * Secrets at rest (AES-256-GCM, node:crypto) with key rotation, bound to the
 * slot they were written for, and the per-flow PKCE verifier and nonce derived
 * from the state (HMAC-SHA256), so a flow need not store them.
 * Sealed format: "v2.<key id>.<binding tag>.<iv>.<ciphertext + tag>" (base64url);
 * the additional data is "v2.<key id>.<binding tag>" and the canonical binding
 * (kind, App, provider, user, origin), so neither the key id nor the slot can
 * be swapped. "v1.<key id>.<iv>.<data>" (no binding) still opens, as stale,
 * unless the cipher is made with acceptUnbound: false.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { type SealBinding, bindingProblem, bindingTag, canonicalBinding, sameKey } from './seal_binding.js';

export type { SealBinding } from './seal_binding.js';

export interface TokenCipherKey {
  /** [A-Za-z0-9_-], 1-64 characters; stored beside each ciphertext. */
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export interface TokenCipher {
  /** Encrypts with the current key, for the slot `binding` names. */
  seal(plaintext: string, binding: SealBinding): string;
  /**
   * Decrypts with the key named in `sealed`, only for the slot it was sealed for.
   * stale = an older key or the older unbound format: re-seal and store again.
   */
  open(sealed: string, binding: SealBinding): { plaintext: string; stale: boolean };
}

export type TokenCipherFailure = 'invalid_key' | 'invalid_binding' | 'malformed' | 'unknown_key' | 'decrypt_failed' | 'wrong_binding' | 'unbound_refused';

/**
 * A key or stored-value problem, for an admin: the message names the key id
 * (never key material or plaintext). Thrown instead of crashing.
 */
export class TokenCipherError extends Error {
  constructor(
    readonly reason: TokenCipherFailure,
    readonly keyId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'TokenCipherError';
  }
}

export const UNBOUND_REFUSED_MESSAGE =
  'A stored secret is in the first sealed format (v1, not bound to its user, provider or setting), which this cipher refuses (its option acceptUnbound is false). Nothing was deleted.';

export const WRONG_BINDING_MESSAGE =
  'The stored data does not belong here: it was sealed for another user, provider or provider address. Nothing was deleted or sent.';

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TokenCipherOptions {
  keys: TokenCipherKey[];
  currentKeyId: string;
  /**
   * false: a v1 value (bound to no slot, so it could have been copied from another one) does not
   * open at all, instead of opening as stale to be re-sealed bound. Default true.
   */
  acceptUnbound?: boolean;
}

/** A cipher over `keys`, sealing with `currentKeyId`. Throws TokenCipherError for a bad key list. */
export function createTokenCipher(options: TokenCipherOptions): TokenCipher {
  const keys = keyMap(options.keys);
  const current = keys.get(options.currentKeyId);
  if (!current) {
    throw new TokenCipherError('invalid_key', options.currentKeyId, `The current encryption key "${options.currentKeyId}" is not in the key list.`);
  }
  return {
    seal: (plaintext, binding) => seal(options.currentKeyId, current, plaintext, binding),
    open: (sealed, binding) => {
      if (options.acceptUnbound === false && sealed.startsWith('v1.')) throw new TokenCipherError('unbound_refused', undefined, UNBOUND_REFUSED_MESSAGE);
      return open(keys, options.currentKeyId, sealed, binding);
    },
  };
}

function keyMap(list: TokenCipherKey[]): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const { id, key } of list) {
    if (!KEY_ID.test(id)) throw new TokenCipherError('invalid_key', undefined, 'An encryption key id must be 1-64 characters of A-Z, a-z, 0-9, _ or -.');
    if (key.length !== 32) throw new TokenCipherError('invalid_key', id, `The encryption key "${id}" must be 32 bytes, not ${key.length}.`);
    if (keys.has(id)) throw new TokenCipherError('invalid_key', id, `The encryption key id "${id}" appears twice.`);
    keys.set(id, key);
  }
  return keys;
}

function checkBinding(binding: SealBinding): string {
  const problem = bindingProblem(binding);
  if (problem) throw new TokenCipherError('invalid_binding', undefined, problem);
  return canonicalBinding(binding);
}

function seal(keyId: string, key: Buffer, plaintext: string, binding: SealBinding): string {
  const canonical = checkBinding(binding);
  const header = `v2.${keyId}.${bindingTag(key, canonical)}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${header}\0${canonical}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${header}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}`;
}

function open(keys: Map<string, Buffer>, currentKeyId: string, sealed: string, binding: SealBinding): { plaintext: string; stale: boolean } {
  const canonical = checkBinding(binding);
  const parts = sealed.split('.');
  const [version, keyId] = parts;
  const v1 = version === 'v1' && parts.length === 4;
  const v2 = version === 'v2' && parts.length === 5;
  if ((!v1 && !v2) || !keyId || parts.some((part) => part === '')) {
    throw new TokenCipherError('malformed', undefined, 'A stored value is not a sealed secret (expected v2.<key id>.<binding>.<iv>.<data>).');
  }
  const key = keys.get(keyId);
  if (!key) {
    throw new TokenCipherError(
      'unknown_key',
      keyId,
      `A stored secret was sealed with the key "${keyId}", which is not configured. Add that key back to the key list.`,
    );
  }
  if (v1) return { plaintext: decrypt(key, keyId, `v1.${keyId}`, parts[2] ?? '', parts[3] ?? ''), stale: true };
  const header = `v2.${keyId}.${parts[2] ?? ''}`;
  if (parts[2] !== bindingTag(key, canonical)) {
    if (!sameKey(key, parts[2] ?? '')) throw decryptFailed(keyId);
    throw new TokenCipherError('wrong_binding', keyId, WRONG_BINDING_MESSAGE);
  }
  return { plaintext: decrypt(key, keyId, `${header}\0${canonical}`, parts[3] ?? '', parts[4] ?? ''), stale: keyId !== currentKeyId };
}

function decrypt(key: Buffer, keyId: string, aad: string, ivText: string, dataText: string): string {
  const iv = Buffer.from(ivText, 'base64url');
  const data = Buffer.from(dataText, 'base64url');
  try {
    if (iv.length !== IV_BYTES || data.length < TAG_BYTES) throw new Error('truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw decryptFailed(keyId);
  }
}

const decryptFailed = (keyId: string) =>
  new TokenCipherError(
    'decrypt_failed',
    keyId,
    `A stored secret could not be decrypted with the key "${keyId}": that key differs from the one it was sealed with, or the stored value was altered.`,
  );

/** A key for one purpose, derived from an encryption key, so that key itself never serves two purposes. */
export function purposeKey(encryptionKey: Buffer, purpose: string): Buffer {
  return createHmac('sha256', encryptionKey).update(purpose).digest();
}

/**
 * The PKCE code_verifier (RFC 7636 §4.1: 43 base64url characters) and the OIDC
 * nonce of a flow, derived from its random, single-use state under the App's key.
 * https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function deriveFlowSecrets(key: Buffer, state: string): { code_verifier: string; nonce: string } {
  if (key.length < 32) throw new TokenCipherError('invalid_key', undefined, 'The flow key must be at least 32 bytes.');
  if (!state) throw new TokenCipherError('invalid_key', undefined, 'A flow needs a non-empty state to derive its secrets.');
  const derive = (label: string) => createHmac('sha256', key).update(`oauth2-connect/${label}\0${state}`).digest('base64url');
  return { code_verifier: derive('pkce-code-verifier'), nonce: derive('oidc-nonce') };
}
