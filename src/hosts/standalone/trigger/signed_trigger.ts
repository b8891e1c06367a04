/**
 * Mattermost's signed trigger id: the one proof in a slash-command request
 * that Mattermost vouches for `user_id` (docs/mattermost.md, "Signed trigger
 * ids"). The server makes a fresh one for each command it forwards: base64 of
 * `clientId:userId:millis:` followed by base64 of an ASN.1 DER ECDSA P-256
 * signature over the SHA-256 of that text, made with the server's asymmetric
 * signing key, whose public half every client may read.
 */
import { verify, type KeyObject } from 'node:crypto';

export interface SignedTrigger {
  /** The Mattermost user the server made it for. */
  userId: string;
  /** When the server made it (the server's clock, epoch ms). */
  signedAt: number;
  /** `clientId:userId:millis:`, the text the signature covers. */
  signedText: string;
  signature: Buffer;
}

/** The longest trigger accepted: three ids, a time and a DER signature in base64, twice over. */
export const TRIGGER_MAX_LENGTH = 512;

const LAYOUT = /^([a-z0-9]{26}):([a-z0-9]{26}):(\d{1,15}):([A-Za-z0-9+/]{40,120}={0,2})$/;

/** The trigger's parts; undefined when it is not one Mattermost could have made. */
export function parseTrigger(raw: string): SignedTrigger | undefined {
  if (raw.length === 0 || raw.length > TRIGGER_MAX_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return undefined;
  const match = LAYOUT.exec(Buffer.from(raw, 'base64').toString('latin1'));
  if (!match) return undefined;
  const [, clientId, userId, millis, signature] = match as unknown as [string, string, string, string, string];
  return { userId, signedAt: Number(millis), signedText: `${clientId}:${userId}:${millis}:`, signature: Buffer.from(signature, 'base64') };
}

/** True when the signature is the key's over the trigger's text. */
export function signatureValid(trigger: SignedTrigger, key: KeyObject): boolean {
  try {
    return verify('sha256', Buffer.from(trigger.signedText, 'latin1'), { key, dsaEncoding: 'der' }, trigger.signature);
  } catch {
    return false; // a signature that is not DER at all
  }
}
