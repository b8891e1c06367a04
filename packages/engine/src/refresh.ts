/**
 * The refresh_token grant. A rotated refresh token replaces the old one; when
 * none comes back the old one is kept, and so is the scope when the answer names
 * none (the one granted before). An id_token in the answer must name the same
 * subject as the first one.
 * https://www.rfc-editor.org/rfc/rfc6749#section-6
 * https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { oauthError, toOAuthError } from './error_mapping.js';
import { requestOptions } from './http.js';
import { type EngineContext, type Resolved, clientOf } from './resolve.js';
import { checkTokenResponse } from './token_response.js';
import { toTokenSet } from './token_set.js';
import type { TokenSet } from './types.js';

/** New tokens from the refresh token; OAuthError('invalid_grant') when it is no longer accepted. */
export async function refreshTokens(ctx: EngineContext, resolved: Resolved, tokens: TokenSet): Promise<TokenSet> {
  const { as, config } = resolved;
  const refreshToken = tokens.refresh_token;
  if (!refreshToken) throw oauthError('invalid_grant', 'The provider gave no refresh token, so the connection cannot be renewed without signing in again.');
  const { client, auth } = clientOf(config);
  const secrets = [refreshToken, tokens.access_token, config.client_secret];
  let checked;
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, requestOptions(ctx.http, as.token_endpoint));
    checked = await checkTokenResponse(ctx, resolved, response, 'refresh_token', (checkedAs, shimmed) =>
      oauth.processRefreshTokenResponse(checkedAs, client, shimmed),
    );
  } catch (err) {
    throw toOAuthError(err, 'refresh', secrets);
  }
  assertSameSubject(tokens, checked.claims, secrets);
  return toTokenSet(checked.result, ctx.now(), tokens);
}

function assertSameSubject(previous: TokenSet, claims: oauth.IDToken | undefined, secrets: Array<string | undefined>): void {
  if (!claims || !previous.id_token) return;
  let previousSub: unknown;
  try {
    previousSub = jose.decodeJwt(previous.id_token).sub;
  } catch {
    return;
  }
  if (previousSub !== claims.sub) {
    throw oauthError('security', 'The id_token of the refresh names another subject than the first one (OIDC Core §12.2).', secrets);
  }
}
