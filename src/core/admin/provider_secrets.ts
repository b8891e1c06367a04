/**
 * Sealing and opening a provider's client secret, bound to the provider, the
 * origin its secret is sent to and the host's seal scope: moving the provider
 * means typing the secret again.
 */
import type { SealBinding } from '../../oauth/seal_binding.js';
import { providerOrigin } from '../../oauth/provider_origin.js';
import type { ProviderConfig } from '../../oauth/types.js';
import { type StoredProvider, toProviderConfig } from '../provider_records.js';
import type { CoreDeps } from '../request.js';

export function clientSecretBinding(config: ProviderConfig, scope: string): SealBinding {
  return { kind: 'client_secret', provider_id: config.id, origin: providerOrigin(config), scope };
}

/** The engine's config with the client secret opened (a key problem surfaces as the sealer's error). */
export function openStoredProvider(stored: StoredProvider, deps: Pick<CoreDeps, 'sealer' | 'logger'>, scope: string): ProviderConfig {
  const bare = toProviderConfig(stored, undefined);
  if (stored.sealed_secret === undefined) return bare;
  const secret = deps.sealer.open(stored.sealed_secret, clientSecretBinding(bare, scope)).plaintext;
  deps.logger.addSecrets(secret);
  return toProviderConfig(stored, secret);
}

/** The record to store: the secret sealed, timestamps kept across edits. */
export function toStored(
  config: ProviderConfig,
  deps: Pick<CoreDeps, 'sealer' | 'logger' | 'now'>,
  scope: string,
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
    ...(config.client_secret && { sealed_secret: deps.sealer.seal(config.client_secret, clientSecretBinding(config, scope)) }),
    auth: config.token_endpoint_auth_method,
    scopes: config.scopes,
    ...(config.extra_authorize_params && { params: config.extra_authorize_params }),
    ...((registered || previous?.registered) && { registered: true }),
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}
