/**
 * The OAuth engine: every operation of OAuthEngine over oauth4webapi, with all
 * HTTP through the injected fetch (each request bounded by httpTimeoutMs) and
 * the metadata cached per issuer for discoveryTtlMs.
 */
import type * as oauth from 'oauth4webapi';
import { readAccount } from './account.js';
import { buildAuthorizationUrl } from './authorize.js';
import { checkProvider } from './check.js';
import { completeAuthorization } from './complete.js';
import { type Operation, toOAuthError } from './error_mapping.js';
import { refreshTokens } from './refresh.js';
import { registerClient } from './register.js';
import { type EngineContext, resolveProvider } from './resolve.js';
import { revokeTokens } from './revoke.js';
import { TtlCache } from './ttl_cache.js';
import type { OAuthEngine, OAuthEngineOptions, ProviderConfig } from './types.js';

/**
 * Creates the engine. Stateless but for the metadata cache, so one engine per process.
 * - resolve: RFC 8414 / OIDC discovery (https://www.rfc-editor.org/rfc/rfc8414)
 * - authorizationUrl: RFC 6749 §4.1.1 with RFC 7636 PKCE S256, RFC 9126 PAR when required
 * - complete: RFC 9207 iss, state, code exchange, OIDC Core §3.1.3.7 id_token validation
 * - refresh: RFC 6749 §6; revoke: RFC 7009; register: RFC 7591
 */
export function createOAuthEngine(options: OAuthEngineOptions): OAuthEngine {
  const ctx: EngineContext = {
    http: { fetch: options.fetch, timeoutMs: options.httpTimeoutMs, allowPrivateNetwork: options.allowPrivateNetwork === true },
    now: options.now,
    metadata: new TtlCache<oauth.AuthorizationServer>(options.discoveryTtlMs, options.now),
    revocationTimeoutMs: options.revocationTimeoutMs ?? options.httpTimeoutMs,
  };
  const resolve = (config: ProviderConfig) => resolveProvider(ctx, config);
  const guarded = <T>(operation: Operation, work: () => Promise<T>) => work().catch((err: unknown) => Promise.reject(toOAuthError(err, operation)));
  return {
    resolve: (config) => guarded('discovery', async () => (await resolve(config)).provider),
    authorizationUrl: (config, input) => guarded('authorization', async () => buildAuthorizationUrl(ctx, await resolve(config), input)),
    complete: (config, input) => guarded('token', async () => completeAuthorization(ctx, await resolve(config), input)),
    refresh: (config, tokens) => guarded('refresh', async () => refreshTokens(ctx, await resolve(config), tokens)),
    revoke: (config, tokens) => revokeTokens(ctx, resolve, config, tokens),
    account: (config, tokens) => guarded('userinfo', async () => readAccount(ctx, await resolve(config), tokens)),
    register: (config, input) => guarded('registration', async () => registerClient(ctx, await resolve(config), input)),
    check: (config) =>
      checkProvider(ctx, config).catch((err: unknown) => [
        { name: 'configuration', ok: false, detail: toOAuthError(err, 'discovery').adminDetail ?? 'failed' },
      ]),
  };
}
