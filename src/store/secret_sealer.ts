/** Seals secrets at rest (AES-256-GCM, key id beside the ciphertext). */
export interface SecretSealer {
  seal(plaintext: string): string;
  /** stale: sealed with an older key, so the caller re-seals it. */
  open(sealed: string): { plaintext: string; stale: boolean };
}
