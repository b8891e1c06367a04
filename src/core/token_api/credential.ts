/**
 * A client's credential: `o2c_` and 32 random bytes (base64url). It is shown
 * once and only its SHA-256 is stored: for a value this random a slow hash
 * adds nothing, and a fast one keeps the token endpoint cheap.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const CREDENTIAL_SHAPE = /^o2c_[A-Za-z0-9_-]{43}$/;

export const newCredential = (): string => `o2c_${randomBytes(32).toString('base64url')}`;

export const credentialHash = (credential: string): string => createHash('sha256').update(credential, 'utf8').digest('base64url');

/** Constant-time comparison of two hashes. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
