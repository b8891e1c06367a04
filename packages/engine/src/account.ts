/**
 * Who the user is at the provider: OIDC userinfo (its sub must equal the
 * id_token's), the preset's profile endpoint, a plain OAuth userinfo endpoint,
 * or the id_token's claims.
 * https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 */
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { oauthError, toOAuthError } from './error_mapping.js';
import { requestOptions } from './http.js';
import { OIDC_LABEL_KEYS, accountFromClaims } from './providers/preset.js';
import { type EngineContext, type Resolved, clientOf } from './resolve.js';
import type { AccountInfo, TokenSet } from './types.js';

const PLAIN_LABEL_KEYS = ['preferred_username', 'username', 'login', 'email', 'name'];
const IDENTITY_CLAIMS = ['sub', 'preferred_username', 'email', 'name', 'tid'];

/** Reads the account with the access token; `idClaims` are the validated claims of a fresh id_token. */
export async function readAccount(ctx: EngineContext, resolved: Resolved, tokens: TokenSet, idClaims?: Record<string, unknown>): Promise<AccountInfo> {
  const claims = idClaims ?? storedIdTokenClaims(tokens);
  const profile = resolved.preset.profile?.(resolved.config);
  if (profile) {
    return profile.toAccount(await getJson(ctx, profile.url, tokens.access_token, profile.headers, 'profile'));
  }
  const userinfo = resolved.as.userinfo_endpoint;
  if (userinfo && resolved.provider.oidc) return readOidcUserinfo(ctx, resolved, tokens, claims);
  if (userinfo) return accountFromClaims(await getJson(ctx, userinfo, tokens.access_token, {}, 'userinfo'), PLAIN_LABEL_KEYS);
  if (claims) return accountFromClaims({ ...claims }, OIDC_LABEL_KEYS);
  return { sub: '', label: resolved.config.display_name, profile: {} };
}

/** The claims of an id_token that was validated when it was issued (whoami after the flow). */
function storedIdTokenClaims(tokens: TokenSet): Record<string, unknown> | undefined {
  if (!tokens.id_token) return undefined;
  try {
    return jose.decodeJwt(tokens.id_token);
  } catch {
    return undefined;
  }
}

async function readOidcUserinfo(ctx: EngineContext, resolved: Resolved, tokens: TokenSet, claims?: Record<string, unknown>): Promise<AccountInfo> {
  const { as, config } = resolved;
  const { client } = clientOf(config);
  const expectedSub = typeof claims?.sub === 'string' ? claims.sub : oauth.skipSubjectCheck;
  try {
    const options = requestOptions(ctx.http, as.userinfo_endpoint);
    const response = await oauth.userInfoRequest(as, client, tokens.access_token, options);
    const userinfo = await oauth.processUserInfoResponse(as, client, expectedSub, response);
    const identity = Object.fromEntries(IDENTITY_CLAIMS.filter((name) => claims?.[name] !== undefined).map((name) => [name, claims?.[name]]));
    return accountFromClaims({ ...identity, ...userinfo }, OIDC_LABEL_KEYS);
  } catch (err) {
    throw toOAuthError(err, 'userinfo', [tokens.access_token]);
  }
}

/** GET a JSON object with the Bearer token (RFC 6750 §2.1). */
async function getJson(
  ctx: EngineContext,
  url: string,
  accessToken: string,
  headers: Record<string, string> = {},
  operation: 'userinfo' | 'profile',
): Promise<Record<string, unknown>> {
  const secrets = [accessToken];
  let response: Response;
  try {
    const requestHeaders = new Headers({ accept: 'application/json', ...headers });
    response = await oauth.protectedResourceRequest(accessToken, 'GET', new URL(url), requestHeaders, null, requestOptions(ctx.http, url));
  } catch (err) {
    throw toOAuthError(err, operation, secrets);
  }
  if (response.status === 401) throw oauthError('invalid_grant', `The account endpoint refused the access token (HTTP 401).`, secrets);
  if (response.status >= 500) throw oauthError('provider_unavailable', `The account endpoint answered HTTP ${response.status}.`, secrets);
  const body: unknown = response.status === 200 ? await response.json().catch(() => undefined) : undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw oauthError('provider_error', `The account endpoint answered HTTP ${response.status} without a JSON object.`, secrets);
  }
  return body as Record<string, unknown>;
}
