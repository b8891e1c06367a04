/** TokenSet construction from a token endpoint response (RFC 6749 §5.1). */
import type * as oauth from 'oauth4webapi';
import type { TokenSet } from './types.js';

/**
 * The stored form of a token response. expires_at = now + expires_in seconds;
 * a refresh that returns no new refresh token (or id_token, scope) keeps the previous one.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function toTokenSet(response: oauth.TokenEndpointResponse, now: number, previous?: TokenSet): TokenSet {
  const tokens: TokenSet = { access_token: response.access_token, token_type: response.token_type, obtained_at: now };
  const refreshToken = response.refresh_token ?? previous?.refresh_token;
  const idToken = response.id_token ?? previous?.id_token;
  const scope = response.scope ?? previous?.scope;
  if (refreshToken) tokens.refresh_token = refreshToken;
  if (idToken) tokens.id_token = idToken;
  if (scope !== undefined) tokens.scope = scope;
  if (typeof response.expires_in === 'number') tokens.expires_at = now + response.expires_in * 1000;
  return tokens;
}

/** True when the token is still valid for longer than `marginMs` (tokens without expiry always are). */
export function isFresh(tokens: TokenSet, now: number, marginMs: number): boolean {
  return tokens.expires_at === undefined || tokens.expires_at - marginMs > now;
}
