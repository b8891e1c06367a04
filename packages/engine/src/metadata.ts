/**
 * Provider metadata: RFC 8414 / OIDC discovery with the exact issuer match
 * (oauth4webapi), or a preset's fixed endpoints, merged with the preset's
 * fallbacks and the admin's overrides.
 * https://www.rfc-editor.org/rfc/rfc8414#section-3
 * https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
import * as oauth from 'oauth4webapi';
import { oauthError, toOAuthError } from './error_mapping.js';
import { type HttpDeps, requestOptions, send } from './http.js';
import type { MetadataSource } from './providers/preset.js';
import type { ProviderEndpoints } from './types.js';

type Discovery = Extract<MetadataSource, { kind: 'discovery' }>;

/** Fetches and checks the metadata of `source`, or returns the preset's fixed metadata. */
export async function loadMetadata(source: MetadataSource, http: HttpDeps): Promise<oauth.AuthorizationServer> {
  if (source.kind === 'static') return source.metadata;
  try {
    const response = source.metadataUrl
      ? await send(http, source.metadataUrl, { headers: { accept: 'application/json' } })
      : await oauth.discoveryRequest(new URL(source.issuer), { algorithm: source.algorithm, ...requestOptions(http, source.issuer) });
    return await processMetadata(source, response);
  } catch (err) {
    throw toOAuthError(err, 'discovery');
  }
}

async function processMetadata(source: Discovery, response: Response): Promise<oauth.AuthorizationServer> {
  const template = source.issuerTemplate;
  if (!template) return oauth.processDiscoveryResponse(new URL(source.issuer), response);
  const advertised = await advertisedIssuer(response);
  if (advertised === undefined || !template.accepts(advertised)) {
    // Let oauth4webapi report the mismatch in its own words.
    return oauth.processDiscoveryResponse(new URL(source.issuer), response);
  }
  return oauth.processDiscoveryResponse(new URL(advertised), response);
}

async function advertisedIssuer(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { issuer?: unknown };
    return typeof body.issuer === 'string' ? body.issuer : undefined;
  } catch {
    return undefined;
  }
}

/** Preset fallbacks < advertised metadata < admin overrides (only the values that are set). */
export function mergeEndpoints(
  metadata: oauth.AuthorizationServer,
  fallbacks: Partial<ProviderEndpoints> = {},
  overrides: Partial<ProviderEndpoints> = {},
): oauth.AuthorizationServer {
  const merged: Record<string, unknown> = { ...definedOnly(fallbacks), ...metadata, ...definedOnly(overrides) };
  return Object.freeze(merged) as unknown as oauth.AuthorizationServer;
}

function definedOnly(endpoints: Partial<ProviderEndpoints>): Record<string, string> {
  return Object.fromEntries(Object.entries(endpoints).filter(([, value]) => typeof value === 'string' && value !== ''));
}

/** The endpoints of `as` in our shape; OAuthError('config') when one a flow needs is missing. */
export function endpointsOf(as: oauth.AuthorizationServer): ProviderEndpoints {
  if (!as.authorization_endpoint || !as.token_endpoint) {
    throw oauthError('config', 'The provider metadata has no authorization_endpoint or token_endpoint.');
  }
  const endpoints: ProviderEndpoints = { authorization_endpoint: as.authorization_endpoint, token_endpoint: as.token_endpoint };
  for (const name of ['userinfo_endpoint', 'revocation_endpoint', 'registration_endpoint', 'pushed_authorization_request_endpoint'] as const) {
    const value = as[name];
    if (value) endpoints[name] = value;
  }
  return endpoints;
}
