/**
 * Sealing and opening a provider's client secret, bound to the provider, the
 * origin its secret is sent to and the host's seal scope: moving the provider
 * means typing the secret again.
 */
import type { SealBinding } from '../../oauth/seal_binding.js';
import { clientSecretSlot } from '../seal_slots.js';
import type { ProviderConfig } from '../../oauth/types.js';
import { type StoredProvider, toProviderConfig } from '../provider_records.js';
import type { CoreDeps, CoreRequest } from '../request.js';

/** What the admin operations use of CoreDeps; a host may name its own client-secret binding (else the core's, with its seal scope). */
export type AdminDeps = Pick<CoreDeps, 'engine' | 'sealer' | 'logger' | 'now'> & { clientSecretBinding?: (config: ProviderConfig) => SealBinding };

/** The core's binding (src/core/seal_slots.ts), kept under this name for the admin operations' callers. */
export const clientSecretBinding = clientSecretSlot;

/** The engine's config with the client secret opened (a key problem surfaces as the sealer's error). */
/** The binding a host's client secrets are sealed with. */
export const secretBindingOf =
  (deps: AdminDeps, req: Pick<CoreRequest, 'host'>) =>
  (config: ProviderConfig): SealBinding =>
    deps.clientSecretBinding ? deps.clientSecretBinding(config) : clientSecretBinding(config, req.host.sealScope);

export function openStoredProvider(stored: StoredProvider, deps: AdminDeps, req: Pick<CoreRequest, 'host'>): ProviderConfig {
  const bare = toProviderConfig(stored, undefined);
  if (stored.sealed_secret === undefined) return bare;
  const secret = deps.sealer.open(stored.sealed_secret, secretBindingOf(deps, req)(bare)).plaintext;
  deps.logger.addSecrets(secret);
  return toProviderConfig(stored, secret);
}

/** The record to store: the secret sealed, timestamps kept across edits. */
export function toStored(
  config: ProviderConfig,
  deps: AdminDeps,
  req: Pick<CoreRequest, 'host'>,
  previous?: StoredProvider,
  registered = false,
): StoredProvider {
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
    ...(config.client_secret && { sealed_secret: deps.sealer.seal(config.client_secret, secretBindingOf(deps, req)(config)) }),
    auth: config.token_endpoint_auth_method,
    scopes: config.scopes,
    ...(config.extra_authorize_params && { params: config.extra_authorize_params }),
    ...((registered || previous?.registered) && { registered: true }),
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}
