/**
 * The OAuth engine's public types: the provider model, token sets and the
 * engine's operations. The call handlers (src/calls) only use what is here.
 */

export type PresetName = 'github' | 'gitlab' | 'google' | 'microsoft' | 'mattermost' | 'oidc' | 'oauth2';

/** RFC 7591 §2 token_endpoint_auth_method values we support. */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Endpoints given by hand (generic OAuth2) or derived by a preset. */
export interface ProviderEndpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  registration_endpoint?: string;
  pushed_authorization_request_endpoint?: string;
  /** RFC 7662: not called by the App today, yet bound like the others (it would receive tokens and the client secret). */
  introspection_endpoint?: string;
}

/** A registered provider as an admin configures it (client secret in clear, in memory only). */
export interface ProviderConfig {
  /** Short slug used in commands and storage keys: [a-z0-9-], 1-32 characters. */
  id: string;
  display_name: string;
  preset: PresetName;
  /** OIDC / RFC 8414 issuer for discovery (oidc, mattermost, google, microsoft derive it). */
  issuer?: string;
  /** Self-hosted base URL (gitlab, mattermost). */
  base_url?: string;
  /** Microsoft Entra tenant (common, organizations, consumers or a tenant id). */
  tenant?: string;
  /** Explicit endpoints (generic oauth2, or overrides). */
  endpoints?: Partial<ProviderEndpoints>;
  client_id: string;
  /** Absent for public clients. */
  client_secret?: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  scopes: string[];
  extra_authorize_params?: Record<string, string>;
}

/** What a provider's metadata (discovery, or the preset's fixed values) says. */
export interface ResolvedProvider {
  config: ProviderConfig;
  issuer?: string;
  endpoints: ProviderEndpoints;
  /** OIDC: an id_token is expected and validated (jwks_uri present). */
  oidc: boolean;
  jwks_uri?: string;
  /** RFC 9207: the provider advertises authorization_response_iss_parameter_supported. */
  iss_parameter_supported: boolean;
  /** RFC 9126: require_pushed_authorization_requests. */
  par_required: boolean;
}

/** A token set as stored (before encryption). Times are epoch milliseconds. */
export interface TokenSet {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  /** Absent when the provider gave no expires_in. */
  expires_at?: number;
  obtained_at: number;
}

/** Who the user is at the provider. */
export interface AccountInfo {
  /** Stable subject: OIDC sub, or the provider's user id. */
  sub: string;
  /** Human label: username, email or name. */
  label: string;
  /** The profile as the provider returned it (for whoami). */
  profile: Record<string, unknown>;
}

export interface AuthorizationRequestInput {
  state: string;
  redirect_uri: string;
  code_verifier: string;
  /** Sent for OIDC providers. */
  nonce?: string;
}

/** What authorize() needs: the redirect URI; state, verifier and nonce are made when not given. */
export interface AuthorizeInput {
  redirect_uri: string;
  state?: string;
  code_verifier?: string;
  nonce?: string;
}

/** The URL to send the browser to, and what complete() needs back: keep it server-side until the redirect returns. */
export interface AuthorizationRequest {
  url: string;
  state: string;
  code_verifier: string;
  /** Made for OpenID Connect providers only. */
  nonce?: string;
}

export interface CallbackInput {
  /** The query parameters of the redirect to complete_url (values of the complete call). */
  params: Record<string, string>;
  redirect_uri: string;
  expected_state: string;
  code_verifier: string;
  nonce?: string;
}

export interface CompletedAuthorization {
  tokens: TokenSet;
  account: AccountInfo;
}

export interface RegistrationInput {
  redirect_uris: string[];
  client_name: string;
  client_uri?: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  scopes?: string[];
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
}

/**
 * Why an OAuth operation failed, in terms a handler can act on.
 * - access_denied: the user refused at the provider.
 * - invalid_grant: the refresh token or code is no longer valid; reconnect.
 * - invalid_client: wrong client id or secret (admin must fix).
 * - redirect_uri_mismatch: the provider does not know our redirect URI.
 * - provider_unavailable: network error, timeout, 5xx.
 * - provider_error: the provider answered something we cannot use.
 * - security: a check failed (iss, state, nonce, id_token, sub mismatch).
 * - config: the provider registration is incomplete or inconsistent.
 */
export type OAuthErrorCode =
  'access_denied' | 'invalid_grant' | 'invalid_client' | 'redirect_uri_mismatch' | 'provider_unavailable' | 'provider_error' | 'security' | 'config';

/** Outcome of a revocation attempt (RFC 7009). Local deletion never depends on it. */
export interface RevocationResult {
  /** false when the provider has no revocation endpoint. */
  supported: boolean;
  /** true when every token we sent was accepted by the provider. */
  revoked: boolean;
  /** Admin-facing detail when it failed (never contains a token). */
  detail?: string;
}

/** What `provider test` reports: each check with its outcome. */
export interface ProviderCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Every option has a default: createOAuthEngine() alone is a working engine. */
export interface OAuthEngineOptions {
  /** All outbound HTTP goes through this; without it, through the engine's own transport over undici (what fetch would answer, at less cost per request). */
  fetch?: typeof fetch;
  /** The clock, in epoch milliseconds (default: Date.now). */
  now?: () => number;
  /** Timeout of each outbound HTTP request, in ms (default 10000). */
  httpTimeoutMs?: number;
  /** How long discovered metadata is reused, in ms (default 3600000, one hour). */
  discoveryTtlMs?: number;
  /** Timeout of each revocation request, in ms (default: httpTimeoutMs). */
  revocationTimeoutMs?: number;
  /** Allow private/loopback provider addresses and plain http (default false: refused, also after DNS resolution). */
  allowPrivateNetwork?: boolean;
  /**
   * How a refusal of a private address tells the reader to allow it (default
   * "set the engine option allowPrivateNetwork: true"): an application names its own setting.
   */
  privateNetworkHint?: string;
}

/** The engine: stateless but for the discovery cache. */
export interface OAuthEngine {
  /** Discovery (cached with a TTL) or the preset's fixed endpoints. */
  resolve(config: ProviderConfig): Promise<ResolvedProvider>;
  /** The authorize URL with the state, PKCE verifier and (OIDC) nonce it made: the start of a connection. */
  authorize(config: ProviderConfig, input: AuthorizeInput): Promise<AuthorizationRequest>;
  /** The authorize URL for a state, verifier and nonce of the caller's (PKCE S256 always; nonce for OIDC; PAR when required). */
  authorizationUrl(config: ProviderConfig, input: AuthorizationRequestInput): Promise<string>;
  /** Checks the callback (error, state, iss), exchanges the code, validates the id_token, reads the account. */
  complete(config: ProviderConfig, input: CallbackInput): Promise<CompletedAuthorization>;
  /** refresh_token grant; keeps the old refresh token when none is returned. */
  refresh(config: ProviderConfig, tokens: TokenSet): Promise<TokenSet>;
  /** RFC 7009: refresh token first, then access token; bounded by the timeout; never throws. */
  revoke(config: ProviderConfig, tokens: TokenSet): Promise<RevocationResult>;
  /** userinfo or the preset's profile endpoint. */
  account(config: ProviderConfig, tokens: TokenSet): Promise<AccountInfo>;
  /** RFC 7591 dynamic client registration. */
  register(config: ProviderConfig, input: RegistrationInput): Promise<RegisteredClient>;
  /** Discovery and metadata checks for `provider test`; never throws. */
  check(config: ProviderConfig): Promise<ProviderCheck[]>;
}
