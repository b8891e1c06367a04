/**
 * What a provider preset declares: its defaults, the fields an admin fills in,
 * where its metadata comes from, and the shims for its quirks.
 */
import type * as oauth from 'oauth4webapi';
import { oauthError } from '../error_mapping.js';
import type { OAuthError } from '../errors.js';
import type { HttpDeps } from '../http.js';
import type { AccountInfo, PresetName, ProviderConfig, ProviderEndpoints, RevocationResult, TokenEndpointAuthMethod, TokenSet } from '../types.js';
import { trimTrailingSlashes } from '../util/trim_slashes.js';

/** A setting the admin form asks for, beyond client id, secret and scopes. */
export interface PresetField {
  key: 'issuer' | 'base_url' | 'tenant' | `endpoints.${keyof ProviderEndpoints}`;
  label: string;
  required: boolean;
  help: string;
  default?: string;
}

export interface PresetDefaults {
  scopes: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  /** Merged under the configured extra_authorize_params. */
  extra_authorize_params: Record<string, string>;
}

/** A metadata issuer that is a template, such as Microsoft's multi-tenant `{tenantid}`. */
export interface IssuerTemplate {
  /** Accepts the issuer found in the metadata although it differs from the URL asked. */
  accepts(discoveredIssuer: string): boolean;
  /** The issuer an id_token must carry, given the template and the token's claims. */
  idTokenIssuer(discoveredIssuer: string, claims: Record<string, unknown>): string;
}

/** Where a provider's metadata comes from. */
export type MetadataSource =
  | {
      kind: 'discovery';
      /** The expected issuer, matched exactly (RFC 8414 §3.3, OIDC Discovery §4.3). */
      issuer: string;
      algorithm: 'oidc' | 'oauth2';
      /** Fetch the metadata here instead of the well-known URL derived from the issuer. */
      metadataUrl?: string;
      issuerTemplate?: IssuerTemplate;
    }
  | { kind: 'static'; metadata: oauth.AuthorizationServer };

/** A non-OIDC endpoint that describes the signed-in user. */
export interface ProfileEndpoint {
  url: string;
  headers?: Record<string, string>;
  toAccount(profile: Record<string, unknown>): AccountInfo;
}

export type TokenGrant = 'authorization_code' | 'refresh_token';

export interface CustomRevocationInput {
  config: ProviderConfig;
  tokens: TokenSet;
  http: HttpDeps;
  /** Refreshes the tokens (for providers that can only revoke with a live access token). */
  refresh(): Promise<TokenSet>;
}

export interface ProviderPreset {
  name: PresetName;
  label: string;
  fields: PresetField[];
  defaults: PresetDefaults;
  /** Throws OAuthError('config') when a required field is missing. */
  metadataSource(config: ProviderConfig): MetadataSource;
  /** Endpoints the provider has but does not advertise; advertised ones win. */
  fallbackEndpoints?(config: ProviderConfig): Partial<ProviderEndpoints>;
  /** The account endpoint for providers without OIDC userinfo. */
  profile?(config: ProviderConfig): ProfileEndpoint;
  /** Rewrites a token endpoint response into RFC 6749 shape before oauth4webapi reads it. */
  shimTokenResponse?(response: Response, grant: TokenGrant): Promise<Response>;
  /** Rewrites a registration response into RFC 7591 shape before oauth4webapi reads it. */
  shimRegistrationResponse?(response: Response): Promise<Response>;
  /** Revocation that is not RFC 7009 (RFC 7009 is used when the metadata has an endpoint). */
  revoke?(input: CustomRevocationInput): Promise<RevocationResult>;
  /** Auth methods that work although the metadata does not list them. */
  unlistedAuthMethods?: TokenEndpointAuthMethod[];
}

/** The first non-empty string among `keys` in `claims`. */
export function firstString(claims: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = claims[key];
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

/** An account from OIDC claims or a profile object: sub/id, and the best human label. */
export function accountFromClaims(profile: Record<string, unknown>, labelKeys: string[]): AccountInfo {
  const sub = firstString(profile, ['sub', 'id']) ?? '';
  const label = firstString(profile, labelKeys) ?? sub;
  return { sub, label, profile };
}

export const OIDC_LABEL_KEYS = ['preferred_username', 'email', 'name', 'nickname'];

/** The configured base URL without its trailing slashes, or a config error. */
export function requireBaseUrl(config: ProviderConfig, fallback?: string): string {
  const base = config.base_url ?? fallback;
  if (!base) throw missingField(config, 'base_url');
  return trimTrailingSlashes(base);
}

/** The config error for a preset field the admin left empty. */
export function missingField(config: ProviderConfig, field: string): OAuthError {
  return oauthError('config', `Provider "${config.id}" (${config.preset}) needs the field "${field}".`);
}
