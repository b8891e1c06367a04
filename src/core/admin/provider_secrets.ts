/**
 * Sealing a provider's client secret, bound to the provider and the origin its
 * secret is sent to (moving the provider means typing the secret again); the
 * host's sealer adds the host's scope. Opening it is providers.ts openProvider.
 */
import { clientSecretSlot } from '../seal_slots.js';
import type { ProviderConfig } from '@oauth2-connect/engine';
import type { StoredProvider } from '../provider_records.js';
import type { CoreDeps } from '../request.js';

/** What the admin operations use of CoreDeps. */
export type AdminDeps = Pick<CoreDeps, 'engine' | 'sealer' | 'logger' | 'now' | 'audit'>;

/** The core's binding (src/core/seal_slots.ts), kept under this name for the admin operations' callers. */
export const clientSecretBinding = clientSecretSlot;

/** The record to store: the secret sealed, timestamps kept across edits. */
export function toStored(config: ProviderConfig, deps: AdminDeps, previous?: StoredProvider, registered = false): StoredProvider {
  const now = deps.now();
  deps.logger.addSecrets(config.client_secret);
  return {
    id: config.id,
    display_name: config.display_name,
    preset: config.preset,
    ...(config.issuer && { issuer: config.issuer }),
    ...(config.base_url && { base_url: config.base_url }),
    ...(config.tenant && { tenant: config.tenant }),
    ...(config.endpoints && { endpoints: config.endpoints }),
    client_id: config.client_id,
    ...(config.client_secret && { sealed_secret: deps.sealer.seal(config.client_secret, clientSecretSlot(config)) }),
    auth: config.token_endpoint_auth_method,
    scopes: config.scopes,
    ...(config.extra_authorize_params && { params: config.extra_authorize_params }),
    ...((registered || previous?.registered) && { registered: true }),
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}
