/**
 * The integration context of a consent request's Allow and Deny buttons.
 * Mattermost keeps a button's context on the server (clients never see it)
 * and sends it with the clicking user's id in the post-action request; the
 * service trusts neither alone. The context carries an HMAC-SHA256, under a
 * key derived from the encryption key ("oauth2-connect consent context"),
 * over the user, client, provider, scopes, decision, expiry and a nonce; a
 * click counts only when the MAC holds, it has not expired, the request's
 * user_id is the signed user, and the nonce was never used (either button
 * uses it up). The client is named by its id and its registration time: an
 * id is derived from the name, so a client removed and registered again
 * under the same name has the same id, and only the time tells the two apart
 * (consent_action.ts answers such a click as for a removed client).
 * Format: "c2.<base64url JSON>.<base64url MAC>". A "c1" context (from before
 * the registration time was signed) is refused as outdated, never guessed at.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sameText } from '../secrets.js';

export const CONSENT_TTL_MS = 24 * 60 * 60 * 1000;

export type Decision = 'allow' | 'deny';

export interface ConsentContext {
  user_id: string;
  client_id: string;
  /** The client's created_at when the request was sent. */
  client_created_at: number;
  provider_id: string;
  scopes: string[];
  decision: Decision;
  expires_at: number;
  nonce: string;
}

const VERSION = 'c2';
/** The format before the client's registration time was signed; its MAC still holds for a day after the upgrade. */
const OUTDATED_VERSION = 'c1';

const mac = (key: Buffer, version: string, payload: string) => createHmac('sha256', key).update(`${version}.${payload}`).digest('base64url');

/** Both buttons of one request: the same nonce, one decision each. */
export function signConsent(key: Buffer, input: Omit<ConsentContext, 'decision' | 'expires_at' | 'nonce'>, now: number): Record<Decision, string> {
  const nonce = randomBytes(16).toString('base64url');
  const sign = (decision: Decision) => {
    const fields = [input.user_id, input.client_id, input.client_created_at, input.provider_id, input.scopes, decision, now + CONSENT_TTL_MS, nonce];
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    return `${VERSION}.${payload}.${mac(key, VERSION, payload)}`;
  };
  return { allow: sign('allow'), deny: sign('deny') };
}

function decode(payload: string): ConsentContext | undefined {
  try {
    const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(fields) || fields.length !== 8) return undefined;
    const [user_id, client_id, client_created_at, provider_id, scopes, decision, expires_at, nonce] = fields as unknown[];
    const texts = [user_id, client_id, provider_id, nonce].every((v) => typeof v === 'string');
    if (!texts || typeof client_created_at !== 'number' || typeof expires_at !== 'number') return undefined;
    if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string') || (decision !== 'allow' && decision !== 'deny')) return undefined;
    return { user_id, client_id, client_created_at, provider_id, scopes, decision, expires_at, nonce } as ConsentContext;
  } catch {
    return undefined;
  }
}

export type ConsentCheck = { ok: true; context: ConsentContext } | { ok: false; reason: string };

const FORGED = 'This button is not one the service sent.';
const OUTDATED = 'This request was sent before the service was upgraded and can no longer be answered; nothing was changed. The integration can ask again.';

/** The MAC, the expiry and the clicking user (as Mattermost's post-action request names them). */
export function verifyConsent(key: Buffer, raw: unknown, clickingUserId: string, now: number): ConsentCheck {
  if (typeof raw !== 'string' || raw.length > 4096) return { ok: false, reason: FORGED };
  const [version, payload, signature, extra] = raw.split('.');
  if (!version || !payload || !signature || extra !== undefined) return { ok: false, reason: FORGED };
  // It names the client by id alone, which a client registered again under the same name would match.
  if (version === OUTDATED_VERSION && sameText(signature, mac(key, version, payload))) return { ok: false, reason: OUTDATED };
  if (version !== VERSION || !sameText(signature, mac(key, version, payload))) return { ok: false, reason: FORGED };
  const context = decode(payload);
  if (!context) return { ok: false, reason: FORGED };
  if (context.expires_at <= now) return { ok: false, reason: 'This request has expired; the integration can ask again.' };
  if (!sameText(context.user_id, clickingUserId)) return { ok: false, reason: 'This request was sent to another user.' };
  return { ok: true, context };
}
