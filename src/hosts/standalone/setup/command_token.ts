/**
 * Command tokens are kept only as hashes: a database leak then gives no way
 * to forge `/oauth2` requests. The request handler hashes the presented token
 * the same way and compares in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** base64url SHA-256 of a command token (the TeamCommand.token_hash format). */
export function hashCommandToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Constant-time check of a presented token against a stored hash. */
export function commandTokenMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashCommandToken(presented), 'utf8');
  const b = Buffer.from(storedHash, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
