/**
 * Provider registrations. They live in oauth2/app's `data`, which the plugin
 * expands into every call that asks for oauth2_app: bindings, connect and
 * complete read them with no round trip. Client secrets are sealed with the
 * App's key; the record is public-safe without the key.
 */
import type { ProviderConfig, TokenEndpointAuthMethod } from '@oauth2-connect/engine';
import { passesProviderRecord, PROVIDER_ID, ProviderRecord } from './record_schemas.js';

export { PROVIDER_ID };

/** A provider as stored: the engine's config with the secret sealed and short wire names. */
export interface StoredProvider extends Omit<ProviderConfig, 'client_secret' | 'token_endpoint_auth_method' | 'extra_authorize_params'> {
  /** The client secret sealed by the token cipher; absent for public clients. */
  sealed_secret?: string;
  auth: TokenEndpointAuthMethod;
  params?: Record<string, string>;
  /** Set by dynamic registration. */
  registered?: boolean;
  created_at: number;
  updated_at: number;
}

export interface ProvidersDoc {
  v: 1;
  providers: StoredProvider[];
}

function isStoredProvider(p: unknown): p is StoredProvider {
  return passesProviderRecord(p) || ProviderRecord.safeParse(p).success;
}

/** Reads the providers from context.oauth2.data; anything malformed is left out, never thrown. */
export function readProviders(data: unknown): StoredProvider[] {
  if (typeof data !== 'object' || data === null) return [];
  const list = (data as { providers?: unknown }).providers;
  if (!Array.isArray(list)) return [];
  return list.filter(isStoredProvider);
}

export function findProvider(data: unknown, id: string): StoredProvider | undefined {
  return readProviders(data).find((p) => p.id === id);
}

/** The engine's view of a stored provider, with the secret opened. */
export function toProviderConfig(p: StoredProvider, clientSecret: string | undefined): ProviderConfig {
  return {
    id: p.id,
    display_name: p.display_name,
    preset: p.preset,
    ...(p.issuer !== undefined && { issuer: p.issuer }),
    ...(p.base_url !== undefined && { base_url: p.base_url }),
    ...(p.tenant !== undefined && { tenant: p.tenant }),
    ...(p.endpoints !== undefined && { endpoints: p.endpoints }),
    client_id: p.client_id,
    ...(clientSecret !== undefined && { client_secret: clientSecret }),
    token_endpoint_auth_method: p.auth,
    scopes: p.scopes,
    ...(p.params !== undefined && { extra_authorize_params: p.params }),
  };
}
