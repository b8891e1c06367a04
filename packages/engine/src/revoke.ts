/**
 * Token revocation (RFC 7009): the refresh token first (it usually takes the
 * access tokens of its grant with it), then the access token, each bounded by
 * the revocation timeout. Never throws: local deletion must not depend on it.
 * https://www.rfc-editor.org/rfc/rfc7009
 */
import * as oauth from 'oauth4webapi';
import { toOAuthError } from './error_mapping.js';
import { type HttpDeps, requestOptions } from './http.js';
import { type EngineContext, type Resolved, clientOf } from './resolve.js';
import { refreshTokens } from './refresh.js';
import type { ProviderConfig, RevocationResult, TokenSet } from './types.js';

type ResolveFn = (config: ProviderConfig) => Promise<Resolved>;

/** Revokes what the provider lets us revoke and says how it went. */
export async function revokeTokens(ctx: EngineContext, resolve: ResolveFn, config: ProviderConfig, tokens: TokenSet): Promise<RevocationResult> {
  const secrets = [tokens.access_token, tokens.refresh_token, config.client_secret];
  const http: HttpDeps = { ...ctx.http, timeoutMs: ctx.revocationTimeoutMs };
  try {
    const resolved = await resolve(config);
    if (resolved.preset.revoke) {
      const refresh = () => refreshTokens({ ...ctx, http }, resolved, tokens);
      return await resolved.preset.revoke({ config, tokens, http, refresh });
    }
    if (!resolved.as.revocation_endpoint) {
      return { supported: false, revoked: false, detail: 'The provider has no revocation endpoint; the tokens were only deleted here.' };
    }
    return await revokeEach(http, resolved, tokens);
  } catch (err) {
    return { supported: true, revoked: false, detail: toOAuthError(err, 'revocation', secrets).adminDetail };
  }
}

async function revokeEach(http: HttpDeps, resolved: Resolved, tokens: TokenSet): Promise<RevocationResult> {
  const sent: Array<[string, 'refresh_token' | 'access_token']> = [];
  if (tokens.refresh_token) sent.push([tokens.refresh_token, 'refresh_token']);
  sent.push([tokens.access_token, 'access_token']);
  const failures: string[] = [];
  for (const [token, hint] of sent) {
    const failure = await revokeOne(http, resolved, token, hint);
    if (failure) failures.push(`${hint}: ${failure}`);
  }
  return failures.length === 0 ? { supported: true, revoked: true } : { supported: true, revoked: false, detail: failures.join('; ') };
}

/** One RFC 7009 request; the failure text, or undefined when the provider accepted it. */
async function revokeOne(http: HttpDeps, resolved: Resolved, token: string, hint: string): Promise<string | undefined> {
  const { as, config } = resolved;
  try {
    const { client, auth } = clientOf(config);
    const options = { ...requestOptions(http, as.revocation_endpoint), additionalParameters: { token_type_hint: hint } };
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token, options));
    return undefined;
  } catch (err) {
    return toOAuthError(err, 'revocation', [token, config.client_secret]).adminDetail ?? 'failed';
  }
}
