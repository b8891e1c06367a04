/**
 * The OAuth engine: every operation of OAuthEngine over oauth4webapi, with all
 * HTTP through the injected fetch or the engine's own transport (each request
 * bounded by httpTimeoutMs) and
 * the metadata cached per issuer for discoveryTtlMs.
 */
import * as oauth from 'oauth4webapi';
import { readAccount } from './account.js';
import { buildAuthorizationUrl } from './authorize.js';
import { checkProvider } from './check.js';
import { completeAuthorization } from './complete.js';
import { type Operation, toOAuthError } from './error_mapping.js';
import { refreshTokens } from './refresh.js';
import { registerClient } from './register.js';
import { assertClientId } from './config_check.js';
import { type EngineContext, type Resolved, resolveProvider } from './resolve.js';
import { revokeTokens } from './revoke.js';
import { TtlCache } from './ttl_cache.js';
import type { AuthorizationRequest, AuthorizeInput, OAuthEngine, OAuthEngineOptions, ProviderConfig } from './types.js';

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** The option in ms, or its default; a timeout must be positive, the discovery cache may be 0 (no reuse). */
function durationMs(options: OAuthEngineOptions, key: 'httpTimeoutMs' | 'discoveryTtlMs' | 'revocationTimeoutMs', fallback: number): number {
  const value = options[key] ?? fallback;
  const least = key === 'discoveryTtlMs' ? 0 : 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < least) {
    throw new TypeError(`createOAuthEngine: the option ${key} must be a number of milliseconds, at least ${least}`);
  }
  return value;
}

/** The context of every operation, each option defaulted. */
function contextOf(options: OAuthEngineOptions): EngineContext {
  const now = options.now ?? Date.now;
  const httpTimeoutMs = durationMs(options, 'httpTimeoutMs', DEFAULT_HTTP_TIMEOUT_MS);
  return {
    http: {
      ...(options.fetch && { fetch: options.fetch }),
      timeoutMs: httpTimeoutMs,
      allowPrivateNetwork: options.allowPrivateNetwork === true,
      ...(options.privateNetworkHint !== undefined && { privateNetworkHint: options.privateNetworkHint }),
    },
    now,
    metadata: new TtlCache<oauth.AuthorizationServer>(durationMs(options, 'discoveryTtlMs', DEFAULT_DISCOVERY_TTL_MS), now),
    revocationTimeoutMs: durationMs(options, 'revocationTimeoutMs', httpTimeoutMs),
  };
}

/** A new authorization request: the caller's state, verifier and nonce, or fresh random ones. */
async function startAuthorization(ctx: EngineContext, resolved: Resolved, input: AuthorizeInput): Promise<AuthorizationRequest> {
  const state = input.state ?? oauth.generateRandomState();
  const code_verifier = input.code_verifier ?? oauth.generateRandomCodeVerifier();
  const nonce = resolved.provider.oidc ? (input.nonce ?? oauth.generateRandomNonce()) : undefined;
  const url = await buildAuthorizationUrl(ctx, resolved, { redirect_uri: input.redirect_uri, state, code_verifier, ...(nonce && { nonce }) });
  return { url, state, code_verifier, ...(nonce && { nonce }) };
}

/**
 * Creates the engine. Stateless but for the metadata cache, so one engine per process.
 * - resolve: RFC 8414 / OIDC discovery (https://www.rfc-editor.org/rfc/rfc8414)
 * - authorize, authorizationUrl: RFC 6749 §4.1.1 with RFC 7636 PKCE S256, RFC 9126 PAR when required
 * - complete: RFC 9207 iss, state, code exchange, OIDC Core §3.1.3.7 id_token validation
 * - refresh: RFC 6749 §6; revoke: RFC 7009; register: RFC 7591
 */
export function createOAuthEngine(options: OAuthEngineOptions = {}): OAuthEngine {
  const ctx = contextOf(options);
  const resolve = (config: ProviderConfig) => resolveProvider(ctx, config);
  /** Resolved for an operation that acts as the client: refused first when there is no client id yet. */
  const resolveClient = async (config: ProviderConfig) => {
    const resolved = await resolve(config);
    assertClientId(resolved.config);
    return resolved;
  };
  const guarded = <T>(operation: Operation, work: () => Promise<T>) => work().catch((err: unknown) => Promise.reject(toOAuthError(err, operation)));
  return {
    resolve: (config) => guarded('discovery', async () => (await resolve(config)).provider),
    authorize: (config, input) => guarded('authorization', async () => startAuthorization(ctx, await resolveClient(config), input)),
    authorizationUrl: (config, input) => guarded('authorization', async () => buildAuthorizationUrl(ctx, await resolveClient(config), input)),
    complete: (config, input) => guarded('token', async () => completeAuthorization(ctx, await resolveClient(config), input)),
    refresh: (config, tokens) => guarded('refresh', async () => refreshTokens(ctx, await resolveClient(config), tokens)),
    revoke: (config, tokens) => revokeTokens(ctx, resolveClient, config, tokens),
    account: (config, tokens) => guarded('userinfo', async () => readAccount(ctx, await resolveClient(config), tokens)),
    register: (config, input) => guarded('registration', async () => registerClient(ctx, await resolve(config), input)),
    check: (config) =>
      checkProvider(ctx, config).catch((err: unknown) => [
        { name: 'configuration', ok: false, detail: toOAuthError(err, 'discovery').adminDetail ?? 'failed' },
      ]),
  };
}
