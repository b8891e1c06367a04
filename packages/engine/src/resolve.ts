/**
 * Resolving a provider config into what every operation needs: the preset,
 * the (cached) metadata as oauth4webapi wants it, and the client credentials.
 */
import * as oauth from 'oauth4webapi';
import { assertProviderConfig } from './config_check.js';
import { oauthError } from './error_mapping.js';
import type { HttpDeps } from './http.js';
import { endpointsOf, loadMetadata, mergeEndpoints } from './metadata.js';
import { getPreset } from './providers/index.js';
import type { IssuerTemplate, ProviderPreset } from './providers/preset.js';
import type { TtlCache } from './ttl_cache.js';
import type { ProviderConfig, ResolvedProvider } from './types.js';

export interface EngineContext {
  http: HttpDeps;
  now: () => number;
  metadata: TtlCache<oauth.AuthorizationServer>;
  /** Bound of each revocation request (defaults to the HTTP timeout). */
  revocationTimeoutMs: number;
}

export interface Resolved {
  config: ProviderConfig;
  preset: ProviderPreset;
  as: oauth.AuthorizationServer;
  provider: ResolvedProvider;
  issuerTemplate?: IssuerTemplate;
}

/** Metadata from the cache (shared per issuer and overrides), or discovered once. */
export async function resolveProvider(ctx: EngineContext, config: ProviderConfig): Promise<Resolved> {
  assertProviderConfig(config);
  const preset = getPreset(config.preset);
  const source = preset.metadataSource(config);
  const fallbacks = preset.fallbackEndpoints?.(config);
  const key = JSON.stringify([config.preset, source, fallbacks ?? {}, config.endpoints ?? {}]);
  const as = await ctx.metadata.get(key, async () => mergeEndpoints(await loadMetadata(source, ctx.http), fallbacks, config.endpoints));
  const oidc = scopesOf(config, preset).includes('openid');
  // Asking for openid without a JWKS would leave id_tokens unchecked: refused, not quietly treated as plain OAuth.
  if (oidc && typeof as.jwks_uri !== 'string') {
    throw oauthError(
      'config',
      `Provider "${config.id}" asks for the openid scope but its metadata has no jwks_uri, so id_tokens could not be validated. Remove openid from the scopes, or use the provider's OpenID Connect issuer.`,
    );
  }
  const provider: ResolvedProvider = {
    config,
    issuer: source.kind === 'discovery' ? as.issuer : config.issuer,
    endpoints: endpointsOf(as),
    oidc,
    jwks_uri: as.jwks_uri,
    iss_parameter_supported: as.authorization_response_iss_parameter_supported === true,
    par_required: as.require_pushed_authorization_requests === true,
  };
  const issuerTemplate = source.kind === 'discovery' ? source.issuerTemplate : undefined;
  return issuerTemplate ? { config, preset, as, provider, issuerTemplate } : { config, preset, as, provider };
}

/** The configured scopes, or the preset's defaults when none are configured. */
export function scopesOf(config: ProviderConfig, preset: ProviderPreset): string[] {
  return config.scopes.length > 0 ? config.scopes : preset.defaults.scopes;
}

/** The authorization request's scope parameter; undefined when it sends none (the provider's default scope, unknown here). */
export function requestedScope(config: ProviderConfig, preset: ProviderPreset): string | undefined {
  const scopes = scopesOf(config, preset);
  return scopes.length > 0 ? scopes.join(' ') : undefined;
}

/** The preset's extra authorize parameters under the configured ones; an empty value removes one. */
export function authorizeParamsOf(config: ProviderConfig, preset: ProviderPreset): Record<string, string> {
  const merged = { ...preset.defaults.extra_authorize_params, ...config.extra_authorize_params };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
}

/** The oauth4webapi client and its token endpoint authentication (RFC 6749 §2.3). */
export function clientOf(config: ProviderConfig): { client: oauth.Client; auth: oauth.ClientAuth } {
  const client: oauth.Client = { client_id: config.client_id };
  switch (config.token_endpoint_auth_method) {
    case 'none':
      return { client, auth: oauth.None() };
    case 'client_secret_basic':
      return { client, auth: oauth.ClientSecretBasic(requireSecret(config)) };
    case 'client_secret_post':
      return { client, auth: oauth.ClientSecretPost(requireSecret(config)) };
    default:
      throw oauthError('config', `Provider "${config.id}": unsupported token_endpoint_auth_method.`);
  }
}

function requireSecret(config: ProviderConfig): string {
  if (!config.client_secret) {
    throw oauthError('config', `Provider "${config.id}" uses ${config.token_endpoint_auth_method} but has no client secret.`);
  }
  return config.client_secret;
}
