/**
 * The sealing this host codes against: a value is sealed bound to the row it
 * belongs to, so a value copied into another row (another user, provider,
 * origin, or setting) does not open. This is the shape of the shared
 * SecretSealer once it takes a binding (src/calls/deps.ts); the lead wires
 * the real one.
 */
export interface SealBinding {
  kind: 'token' | 'client_secret' | 'setting';
  provider_id?: string;
  user_id?: string;
  origin?: string;
  scope?: string;
}

export interface BoundSealer {
  seal(plaintext: string, binding: SealBinding): string;
  /** Throws when the value was sealed for another binding or altered; stale = re-seal with the current key. */
  open(sealed: string, binding: SealBinding): { plaintext: string; stale: boolean };
}

/** A stored secret that does not open for its row: names the row, never the value. */
export class StoredSecretError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `The stored secret of ${where} does not open for this row (copied from another row, altered, or sealed with a key that is not configured): ${reason}`,
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
