import type { SealBinding } from '../oauth/crypto.js';

/**
 * Seals secrets at rest (AES-256-GCM, key id beside the ciphertext), bound to
 * the slot they belong to: a value opens only with the binding it was sealed with.
 */
export interface SecretSealer {
  seal(plaintext: string, binding: SealBinding): string;
  /** stale: sealed with an older key or the older unbound format, so the caller re-seals it. */
  open(sealed: string, binding: SealBinding): { plaintext: string; stale: boolean };
}
