/**
 * The admin's "provider test": reads the metadata afresh (no cache) and reports
 * each check. Never throws.
 * https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
import { assertProviderConfig } from './config_check.js';
import type * as oauth from 'oauth4webapi';
import { toOAuthError } from './error_mapping.js';
import { isAllowedUrl } from './http.js';
import { loadMetadata, mergeEndpoints } from './metadata.js';
import { settingsChecks } from './check_settings.js';
import { getPreset } from './providers/index.js';
import type { MetadataSource, ProviderPreset } from './providers/preset.js';
import { type EngineContext, clientOf, scopesOf } from './resolve.js';
import type { ProviderCheck, ProviderConfig } from './types.js';

/** Discovery and metadata checks, each with its outcome. */
export async function checkProvider(ctx: EngineContext, config: ProviderConfig): Promise<ProviderCheck[]> {
  let preset: ProviderPreset;
  let source: MetadataSource;
  try {
    assertProviderConfig(config);
    preset = getPreset(config.preset);
    source = preset.metadataSource(config);
    clientOf(config);
  } catch (err) {
    return [{ name: 'configuration', ok: false, detail: detailOf(err) }];
  }
  let as: oauth.AuthorizationServer;
  try {
    as = mergeEndpoints(await loadMetadata(source, ctx.http), preset.fallbackEndpoints?.(config), config.endpoints);
  } catch (err) {
    const issuerMismatch = toOAuthError(err, 'discovery').code === 'security';
    return issuerMismatch
      ? [
          { name: 'metadata', ok: true, detail: 'The metadata was read.' },
          { name: 'issuer', ok: false, detail: detailOf(err) },
        ]
      : [{ name: 'metadata', ok: false, detail: detailOf(err) }];
  }
  return [
    metadataCheck(source),
    issuerCheck(source, as),
    endpointsCheck(as, ctx.http.allowPrivateNetwork),
    pkceCheck(as),
    authMethodCheck(config, preset, as, source.kind === 'static'),
    ...settingsChecks(config, preset, as),
    ...oidcChecks(config, preset, as),
  ];
}

function detailOf(err: unknown): string {
  return toOAuthError(err, 'discovery').adminDetail ?? 'failed';
}

function metadataCheck(source: MetadataSource): ProviderCheck {
  if (source.kind === 'static') return { name: 'metadata', ok: true, detail: 'Fixed endpoints (no discovery for this provider).' };
  return {
    name: 'metadata',
    ok: true,
    detail: `Read from ${source.metadataUrl ?? source.issuer} (${source.algorithm === 'oidc' ? 'OpenID Connect discovery' : 'RFC 8414'}).`,
  };
}

function issuerCheck(source: MetadataSource, as: oauth.AuthorizationServer): ProviderCheck {
  if (source.kind === 'static') return { name: 'issuer', ok: true, detail: 'Not applicable (no discovery).' };
  const template = as.issuer === source.issuer ? '' : ' (a multi-tenant issuer template)';
  return { name: 'issuer', ok: true, detail: `The metadata names the issuer ${as.issuer}${template}.` };
}

function endpointsCheck(as: oauth.AuthorizationServer, allowPrivateNetwork = false): ProviderCheck {
  const names = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'revocation_endpoint', 'registration_endpoint'] as const;
  const missing = names.slice(0, 2).filter((name) => !as[name]);
  if (missing.length > 0) return { name: 'endpoints', ok: false, detail: `Missing: ${missing.join(', ')}.` };
  const insecure = names.filter((name) => as[name] && !isAllowedUrl(as[name] ?? '', allowPrivateNetwork));
  if (insecure.length > 0) return { name: 'endpoints', ok: false, detail: `Not https:// or on a private address: ${insecure.join(', ')}.` };
  const present = names.filter((name) => as[name]).map((name) => name.replace('_endpoint', ''));
  return { name: 'endpoints', ok: true, detail: `Present: ${present.join(', ')}.` };
}

function pkceCheck(as: oauth.AuthorizationServer): ProviderCheck {
  const methods = as.code_challenge_methods_supported;
  if (!methods) return { name: 'pkce', ok: true, detail: 'The metadata does not list PKCE methods; S256 is sent anyway.' };
  return methods.includes('S256')
    ? { name: 'pkce', ok: true, detail: 'S256 is supported.' }
    : { name: 'pkce', ok: false, detail: `S256 is not listed (only ${methods.join(', ') || 'none'}).` };
}

function authMethodCheck(config: ProviderConfig, preset: ProviderPreset, as: oauth.AuthorizationServer, fixed: boolean): ProviderCheck {
  const method = config.token_endpoint_auth_method;
  if (fixed && !as.token_endpoint_auth_methods_supported) {
    return { name: 'auth_method', ok: true, detail: `${method} cannot be checked before a flow (fixed endpoints).` };
  }
  // RFC 8414 §2: when absent, the default is client_secret_basic.
  const listed = as.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  if (listed.includes(method)) return { name: 'auth_method', ok: true, detail: `${method} is supported.` };
  if (preset.unlistedAuthMethods?.includes(method)) {
    return { name: 'auth_method', ok: true, detail: `${method} works with ${preset.label} although its metadata lists only ${listed.join(', ')}.` };
  }
  return { name: 'auth_method', ok: false, detail: `${method} is not among ${listed.join(', ')}.` };
}

function oidcChecks(config: ProviderConfig, preset: ProviderPreset, as: oauth.AuthorizationServer): ProviderCheck[] {
  const checks: ProviderCheck[] = [];
  if (scopesOf(config, preset).includes('openid')) {
    checks.push(
      as.jwks_uri
        ? { name: 'openid', ok: true, detail: 'id_tokens will be validated against the provider JWKS.' }
        : { name: 'openid', ok: false, detail: 'The openid scope is asked but the metadata has no jwks_uri.' },
    );
  }
  if (as.require_pushed_authorization_requests) {
    checks.push({ name: 'par', ok: true, detail: 'The provider requires pushed authorization requests; they are used.' });
  }
  return checks;
}
