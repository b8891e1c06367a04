/**
 * The incoming-call check: the Apps plugin signs each call with HS256 over the
 * secret the admin typed at install (claims exp and acting_user_id; no iss or
 * aud). The key is imported once; the algorithm is pinned.
 */
import { webcrypto } from 'node:crypto';
import { jwtVerify } from 'jose';

export const JWT_HEADER = 'mattermost-app-authorization';

export interface VerifiedCaller {
  actingUserId?: string;
}

export class JwtError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JwtError';
  }
}

export function createJwtVerifier(secret: string): (header: string | undefined) => Promise<VerifiedCaller> {
  // A CryptoKey, not a KeyObject: jose (WebCrypto only) would import a KeyObject again on every call.
  const key = webcrypto.subtle.importKey('raw', Buffer.from(secret, 'utf8'), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  return async (header) => {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new JwtError('missing Mattermost-App-Authorization bearer token');
    try {
      const { payload } = await jwtVerify(match[1], await key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
      const acting = payload.acting_user_id;
      return typeof acting === 'string' && acting !== '' ? { actingUserId: acting } : {};
    } catch (err) {
      throw new JwtError(err instanceof Error ? `invalid JWT: ${err.message}` : 'invalid JWT');
    }
  };
}
