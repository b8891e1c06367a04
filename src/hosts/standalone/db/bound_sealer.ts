/**
 * The sealing the SQL stores use: the project's bound sealer (src/core/secret_sealer.ts,
 * packages/engine/src/seal_binding.ts). A value is sealed bound to the row it belongs to, so a
 * value copied into another row (another user, provider, origin or setting) does not open.
 */
import type { SecretSealer } from '../../../core/secret_sealer.js';
import type { SealBinding } from '@oauth2-connect/engine';

export type { SealBinding };
export type BoundSealer = SecretSealer;

/** A stored secret that does not open for its row: names the row, never the value. */
export class StoredSecretError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `The stored secret of ${where} does not open for this row (copied from another row, altered, or sealed with a key that is not configured): ${reason}`,
      // The cipher's reason (key missing, another slot, refused format) decides what the user is told.
      { cause },
    );
    this.name = 'StoredSecretError';
  }
}

export function openFor(sealer: BoundSealer, sealed: string, binding: SealBinding, where: string): { plaintext: string; stale: boolean } {
  try {
    return sealer.open(sealed, binding);
  } catch (error) {
    throw new StoredSecretError(where, error);
  }
}
