/**
 * Where a provider's tokens and client secret are sent: the origin of its
 * issuer (discovery) or of its fixed token endpoint, plus the origin of a
 * token endpoint the admin typed over it. Tokens are sealed bound to this, so
 * moving a provider to another origin makes its old tokens unusable there.
 */
import { oauthError } from './error_mapping.js';
import { parseUrl } from './http.js';
import { getPreset } from './providers/index.js';
import type { ProviderConfig } from './types.js';

/** The origins, sorted and space-separated; OAuthError('config') when the provider has no usable URL. */
export function providerOrigin(config: ProviderConfig): string {
  const source = getPreset(config.preset).metadataSource(config);
  const primary = source.kind === 'discovery' ? source.issuer : (source.metadata.token_endpoint ?? source.metadata.issuer);
  const urls = [primary, config.endpoints?.token_endpoint].filter((u): u is string => typeof u === 'string' && u !== '');
  const origins = urls.map((u) => parseUrl(u)?.origin);
  if (origins.some((o) => o === undefined || o === 'null')) throw oauthError('config', `Provider "${config.id}": its issuer or token endpoint is not a URL.`);
  return [...new Set(origins as string[])].sort().join(' ');
}

/** True when a provider edit sends its tokens or secret to another origin than before. */
export function originMoved(before: ProviderConfig, after: ProviderConfig): boolean {
  return providerOrigin(before) !== providerOrigin(after);
}
