/** TokenSet construction from a token endpoint response (RFC 6749 §5.1). */
import type * as oauth from 'oauth4webapi';
import type { TokenSet } from './types.js';

/** What a token response may leave out and the stored set then keeps from before. */
export type CarriedOver = Pick<TokenSet, 'refresh_token' | 'id_token' | 'scope'>;

/**
 * The stored form of a token response. expires_at = now + expires_in seconds;
 * a refresh token, id_token or scope the response leaves out is the one carried over:
 * after a code exchange, the scope requested (§5.1: a response may leave it out only when it is
 * the one requested); after a refresh, the previous set's (§6: the scope granted before). So the
 * stored scope says what the access token carries, not what the provider's settings say later.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function toTokenSet(response: oauth.TokenEndpointResponse, now: number, carried: CarriedOver = {}): TokenSet {
  const tokens: TokenSet = { access_token: response.access_token, token_type: response.token_type, obtained_at: now };
  const refreshToken = response.refresh_token ?? carried.refresh_token;
  const idToken = response.id_token ?? carried.id_token;
  const scope = response.scope ?? carried.scope;
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
