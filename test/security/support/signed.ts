/**
 * Calling the App directly as the Apps plugin does, or as an attacker who can
 * reach it would: raw path and body, the Mattermost-App-Authorization JWT
 * valid or broken in a chosen way, over a keep-alive agent.
 */
import { Agent, request } from 'node:http';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';

export const agent = new Agent({ keepAlive: true, maxSockets: 32 });

export const JWT_FAULTS = [
  'missing',
  'other_secret',
  'expired',
  'alg_none',
  'hs384',
  'rs256',
  'tampered',
  'not_before',
  'no_bearer',
  'empty_secret',
  'other_user',
] as const;
export type JwtFault = (typeof JWT_FAULTS)[number];
export type JwtKind = 'valid' | JwtFault;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const now = () => Math.floor(Date.now() / 1000);

function claims(actingUserId: string | undefined): Record<string, unknown> {
  return actingUserId === undefined ? {} : { acting_user_id: actingUserId };
}

async function hs(secret: string, payload: Record<string, unknown>, alg = 'HS256', exp = now() + 900): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setExpirationTime(exp)
    .sign(createSecretKey(Buffer.from(secret, 'utf8')));
}

/** The Authorization header value for `kind`, or undefined for none. */
export async function jwtHeader(secret: string, kind: JwtKind, actingUserId: string | undefined): Promise<string | undefined> {
  const payload = claims(actingUserId);
  switch (kind) {
    case 'valid':
      return `Bearer ${await hs(secret, payload)}`;
    case 'missing':
      return undefined;
    case 'other_secret':
      return `Bearer ${await hs(`${secret}x`, payload)}`;
    case 'empty_secret':
      return `Bearer ${await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(now() + 900)
        .sign(new Uint8Array(0))
        .catch(() => hs('x'.repeat(32), payload))}`;
    case 'expired':
      return `Bearer ${await hs(secret, payload, 'HS256', now() - 120)}`;
    case 'alg_none':
      return `Bearer ${new UnsecuredJWT(payload).setExpirationTime(now() + 900).encode()}`;
    case 'hs384':
      return `Bearer ${await hs(secret, payload, 'HS384')}`;
    case 'rs256':
      return `Bearer ${await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256' })
        .setExpirationTime(now() + 900)
        .sign(rsa)}`;
    case 'tampered': {
      // Signed for one acting user, then the payload swapped for another's: the signature no longer matches.
      const [head, , sig] = (await hs(secret, { acting_user_id: 'someone-else' })).split('.');
      return `Bearer ${head}.${Buffer.from(JSON.stringify({ ...payload, exp: now() + 900 })).toString('base64url')}.${sig}`;
    }
    case 'not_before':
      return `Bearer ${await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setNotBefore(now() + 600)
        .setExpirationTime(now() + 900)
        .sign(Buffer.from(secret))}`;
    case 'no_bearer':
      return await hs(secret, payload);
    case 'other_user':
      return `Bearer ${await hs(secret, { acting_user_id: `${actingUserId ?? 'u'}-other` })}`;
  }
}

export interface RawAnswer {
  status: number;
  body: string;
  json: any;
}

/** POSTs `body` (already serialized) to the App at `path` (sent as is). */
export async function postRaw(baseUrl: string, path: string, body: string, authorization: string | undefined): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        agent,
        headers: { 'content-type': 'application/json', ...(authorization !== undefined && { 'mattermost-app-authorization': authorization }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A signed call with a JSON body, as the plugin makes it. */
export async function signedCall(
  baseUrl: string,
  secret: string,
  path: string,
  body: unknown,
  actingUserId?: string,
  kind: JwtKind = 'valid',
): Promise<RawAnswer> {
  return postRaw(baseUrl, path, JSON.stringify(body), await jwtHeader(secret, kind, actingUserId));
}
