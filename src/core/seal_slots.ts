/**
 * The slot each sealed value belongs to (see packages/engine/src/seal_binding.ts): a
 * provider's client secret, or one user's token at one provider and origin.
 * The host's sealer adds the host's scope (secret_sealer.ts scopedSealer), so
 * a value sealed by one host never opens in another.
 */
import { type SealBinding, providerOrigin, type ProviderConfig } from '@oauth2-connect/engine';
import { type StoredProvider, toProviderConfig } from './provider_records.js';

/**
 * A client secret is bound to its provider and origin too: moving the provider means typing the secret again.
 * `scope`: only for a caller that names the host's scope itself (the sealer leaves a binding already under it as it is).
 */
export function clientSecretSlot(config: ProviderConfig, scope?: string): SealBinding {
  return { kind: 'client_secret', provider_id: config.id, origin: providerOrigin(config), ...(scope !== undefined && { scope }) };
}

export function tokenSlot(userId: string, stored: StoredProvider): SealBinding {
  return { kind: 'token', provider_id: stored.id, user_id: userId, origin: storedOrigin(stored) };
}

/** The origins this provider's tokens are issued by and sent to today (see providerOrigin). */
export function storedOrigin(stored: StoredProvider): string {
  return providerOrigin(toProviderConfig(stored, undefined));
}
