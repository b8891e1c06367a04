import type { SealBinding } from '@oauth2-connect/engine';

/**
 * Seals secrets at rest (AES-256-GCM, key id beside the ciphertext), bound to
 * the slot they belong to: a value opens only with the binding it was sealed with.
 */
export interface SecretSealer {
  seal(plaintext: string, binding: SealBinding): string;
  /** stale: sealed with an older key or the older unbound format, so the caller re-seals it. */
  open(sealed: string, binding: SealBinding): { plaintext: string; stale: boolean };
}

/**
 * The binding under a host's scope: a binding without a scope takes the
 * host's, one with a scope of its own (a setting's name) gets it after the
 * host's, and one already under the host's scope is left as it is.
 */
export function withinScope(binding: SealBinding, hostScope: string): SealBinding {
  const scope = binding.scope;
  if (!scope) return { ...binding, scope: hostScope };
  return scope === hostScope || scope.startsWith(`${hostScope} `) ? binding : { ...binding, scope: `${hostScope} ${scope}` };
}

/**
 * The one place a host applies its seal scope: every value it seals or opens
 * is bound to it, so a value sealed by one host never opens in the other, even
 * under the same key. The core's slots (seal_slots.ts) carry no scope.
 */
export function scopedSealer(sealer: SecretSealer, hostScope: string): SecretSealer {
  return {
    seal: (plaintext, binding) => sealer.seal(plaintext, withinScope(binding, hostScope)),
    open: (sealed, binding) => sealer.open(sealed, withinScope(binding, hostScope)),
  };
}
