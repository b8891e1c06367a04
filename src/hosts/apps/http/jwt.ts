/**
 * The incoming-call check: the Apps plugin signs each call with HS256 over the
 * secret the admin typed at install (claims exp and acting_user_id; no iss or
 * aud). Verified synchronously with node:crypto, the algorithm pinned.
 *
 * Why not jose (what this used before): it verifies through WebCrypto, async,
 * and that was about 20% of the App's CPU per /bindings call for an HMAC of a
 * few microseconds. Why not fast-jwt (6.3.6, nearform, synchronous, pins with
 * `algorithms`): it is not among the project's dependencies, and HS256 alone is
 * ~80 lines whose every rule test/unit/security/jwt_faults.test.ts checks.
 * The checks below are jose's jwtVerify with
 * { algorithms: ['HS256'], requiredClaims: ['exp'] } and no clock tolerance,
 * plus four stricter ones: a size cap, canonical base64url only, any `crit`
 * header refused (the plugin never sends one; jose accepts crit b64), and an
 * `exp` that is finite and at most a day ahead.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export const JWT_HEADER = 'mattermost-app-authorization';

/** The plugin's tokens are ~200 characters; this bounds the work an unsigned token can cause. */
export const MAX_TOKEN_CHARS = 4096;

export interface VerifiedCaller {
  actingUserId?: string;
}

export class JwtError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JwtError';
  }
}

const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
// Fatal: a segment that is not UTF-8 is refused, as jose's strictDecoder does.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(reason: string): JwtError {
  return new JwtError(`invalid JWT: ${reason}`);
}

/** A plain JSON object, as jose's isObject: not an array, not null. */
function decodeObject(segment: string, label: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch {
    throw invalid(`the ${label} is not base64url JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(`the ${label} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

function checkHeader(header: Record<string, unknown>): void {
  if (header.alg !== 'HS256') throw invalid('"alg" (Algorithm) Header Parameter value not allowed');
  if (header.crit !== undefined) throw invalid('"crit" Header Parameter not supported');
}

/** The constant-time comparison runs on the canonical base64url of the expected MAC. */
function checkSignature(key: KeyObject, signingInput: string, signature: string): void {
  const expected = Buffer.from(createHmac('sha256', key).update(signingInput).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('signature verification failed');
}

/**
 * The plugin signs each call for 15 minutes. A token that claims to live longer is refused: one
 * signed with a leaked secret and exp 1e400 (JSON for Infinity) would otherwise never expire.
 */
export const MAX_JWT_LIFETIME_S = 24 * 60 * 60;

/**
 * jose's claim rules (exp required, exp/nbf/iat numbers when present, exp <= now expired, nbf > now
 * not yet), plus: each a finite number, and exp at most MAX_JWT_LIFETIME_S ahead. A fraction of a
 * second stays accepted, as RFC 7519's NumericDate allows.
 */
function checkClaims(claims: Record<string, unknown>, nowS: number): void {
  if (!Object.hasOwn(claims, 'exp')) throw invalid('missing required "exp" claim');
  for (const claim of ['iat', 'nbf', 'exp']) {
    const value = claims[claim];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) throw invalid(`"${claim}" claim must be a finite number`);
  }
  if (typeof claims.nbf === 'number' && claims.nbf > nowS) throw invalid('"nbf" claim timestamp check failed');
  if (typeof claims.exp !== 'number' || claims.exp <= nowS) throw invalid('"exp" claim timestamp check failed');
  if (claims.exp > nowS + MAX_JWT_LIFETIME_S) throw invalid(`"exp" claim is more than ${MAX_JWT_LIFETIME_S} seconds ahead`);
}

/**
 * Verifies one compact JWS; throws JwtError with a reason that never contains the token or the secret.
 * `accepted` remembers the last header segment that passed checkHeader (the plugin sends one and the
 * same): the check depends on the segment's text alone, so an equal segment needs no second decode.
 */
function verifyToken(key: KeyObject, token: string, nowMs: number, accepted: { header: string }): VerifiedCaller {
  if (token.length > MAX_TOKEN_CHARS) throw invalid(`longer than ${MAX_TOKEN_CHARS} characters`);
  const segments = COMPACT_JWS.exec(token);
  if (!segments) throw invalid('not a compact JWS of three base64url segments');
  const [, header, payload, signature] = segments as unknown as [string, string, string, string];
  if (header !== accepted.header) {
    checkHeader(decodeObject(header, 'protected header'));
    accepted.header = header;
  }
  checkSignature(key, `${header}.${payload}`, signature);
  const claims = decodeObject(payload, 'claims set');
  checkClaims(claims, Math.floor(nowMs / 1000));
  const acting = claims.acting_user_id;
  return typeof acting === 'string' && acting !== '' ? { actingUserId: acting } : {};
}

/**
 * The verifier for `secret`: the key is made once. Synchronous, so the check
 * costs what the HMAC costs and still runs before the body is read.
 */
export function createJwtVerifier(secret: string, nowMs: () => number = Date.now): (header: string | undefined) => VerifiedCaller {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const accepted = { header: '' };
  return (header) => {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new JwtError('missing Mattermost-App-Authorization bearer token');
    return verifyToken(key, match[1], nowMs(), accepted);
  };
}
