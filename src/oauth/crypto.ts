/**
 * Token encryption at rest (AES-256-GCM, node:crypto) with key rotation, and
 * the per-flow PKCE verifier and nonce derived from the state (HMAC-SHA256), so
 * a flow need not store them.
 * Sealed format: "v1.<key id>.<iv, base64url>.<ciphertext + tag, base64url>";
 * "v1.<key id>" is authenticated too, so a key id cannot be swapped.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface TokenCipherKey {
  /** [A-Za-z0-9_-], 1-64 characters; stored beside each ciphertext. */
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export interface TokenCipher {
  /** Encrypts with the current key. */
  seal(plaintext: string): string;
  /** Decrypts with the key named in `sealed`; stale = not the current key, so re-seal and store again. */
  open(sealed: string): { plaintext: string; stale: boolean };
}

export type TokenCipherFailure = 'invalid_key' | 'malformed' | 'unknown_key' | 'decrypt_failed';

/**
 * A key or stored-value problem, for an admin: the message names the key id
 * (never key material or plaintext). Thrown instead of crashing.
 */
export class TokenCipherError extends Error {
  constructor(readonly reason: TokenCipherFailure, readonly keyId: string | undefined, message: string) {
    super(message);
    this.name = 'TokenCipherError';
  }
}

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A cipher over `keys`, sealing with `currentKeyId`. Throws TokenCipherError for a bad key list. */
export function createTokenCipher(options: { keys: TokenCipherKey[]; currentKeyId: string }): TokenCipher {
  const keys = keyMap(options.keys);
  const current = keys.get(options.currentKeyId);
  if (!current) {
    throw new TokenCipherError('invalid_key', options.currentKeyId, `The current encryption key "${options.currentKeyId}" is not in the key list.`);
  }
  return {
    seal: (plaintext) => seal(options.currentKeyId, current, plaintext),
    open: (sealed) => open(keys, options.currentKeyId, sealed),
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

function seal(keyId: string, key: Buffer, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${keyId}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}`;
}

function open(keys: Map<string, Buffer>, currentKeyId: string, sealed: string): { plaintext: string; stale: boolean } {
  const parts = sealed.split('.');
  const [version, keyId, ivText, dataText] = parts;
  if (parts.length !== 4 || version !== VERSION || !keyId || !ivText || !dataText) {
    throw new TokenCipherError('malformed', undefined, `A stored value is not a sealed secret (expected ${VERSION}.<key id>.<iv>.<data>).`);
  }
  const key = keys.get(keyId);
  if (!key) {
    throw new TokenCipherError('unknown_key', keyId, `A stored secret was sealed with the key "${keyId}", which is not configured. Add that key back to the key list.`);
  }
  const iv = Buffer.from(ivText, 'base64url');
  const data = Buffer.from(dataText, 'base64url');
  try {
    if (iv.length !== IV_BYTES || data.length < TAG_BYTES) throw new Error('truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plaintext = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    return { plaintext, stale: keyId !== currentKeyId };
  } catch {
    throw new TokenCipherError('decrypt_failed', keyId, `A stored secret could not be decrypted with the key "${keyId}": that key differs from the one it was sealed with, or the stored value was altered.`);
  }
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
