/**
 * Where a provider's tokens, client secret and users' authorizations are sent:
 * the origin of its issuer (discovery) or of its fixed token endpoint, plus the
 * origin of every endpoint the admin typed over the metadata (authorization,
 * token, userinfo, revocation, registration, PAR, introspection, ...). Tokens and
 * the client secret are sealed bound to this, so moving any of these endpoints
 * to another origin asks for the secret again and retires the old tokens.
 *
 * Endpoints that are not typed need no place here: discovered ones are the
 * bound issuer's own statement, and a preset's built-in ones (fallbacks,
 * profile, fixed metadata) are either constants or derived from the issuer or
 * base URL on its origin (test/unit/oauth/provider_origin.test.ts holds every
 * preset to that). Adding an endpoint on an origin already bound leaves the
 * string as it was, so stored tokens and sealed secrets keep opening.
 */
import { oauthError } from './error_mapping.js';
import { parseUrl } from './http.js';
import { getPreset } from './providers/index.js';
import type { ProviderConfig } from './types.js';

/** The URLs whose origins are bound: the issuer or fixed token endpoint, then every typed endpoint (any name: each overrides the metadata). */
function boundUrls(config: ProviderConfig): string[] {
  const source = getPreset(config.preset).metadataSource(config);
  const primary = source.kind === 'discovery' ? source.issuer : (source.metadata.token_endpoint ?? source.metadata.issuer);
  const typed = Object.values(config.endpoints ?? {});
  return [primary, ...typed].filter((u): u is string => typeof u === 'string' && u !== '');
}

/** The origins, sorted and space-separated; OAuthError('config') when the provider has no usable URL. */
export function providerOrigin(config: ProviderConfig): string {
  const origins = boundUrls(config).map((u) => parseUrl(u)?.origin);
  if (origins.some((o) => o === undefined || o === 'null')) {
    throw oauthError('config', `Provider "${config.id}": its issuer or one of its endpoints is not a URL.`);
  }
  return [...new Set(origins as string[])].sort().join(' ');
}

/** True when a provider edit sends its tokens, secret or users' authorizations to another origin than before. */
export function originMoved(before: ProviderConfig, after: ProviderConfig): boolean {
  return providerOrigin(before) !== providerOrigin(after);
}
