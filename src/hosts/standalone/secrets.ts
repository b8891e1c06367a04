/** Random single-use values (links, states, cookies) and the hashes stored in their place. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 characters). */
export function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

/** base64url SHA-256: what the stores keep instead of the value. */
export function hashValue(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Constant-time equality of two texts (false when the lengths differ). */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The shape of a value made by randomValue (bounded before it is hashed or looked up). */
export const RANDOM_VALUE = /^[A-Za-z0-9_-]{43}$/;
