/**
 * The check every command request passes after its command token (identity
 * chain step 1, docs/architecture.md): the trigger id verifies under
 * Mattermost's key, was made for the request's `user_id`, is recent, and has
 * not been accepted before (by any replica: the record is in the database).
 * Only then is `user_id` Mattermost's word. The command token alone proves
 * nothing about the user: every admin of the team can read it.
 */
import type { OneTimeRecord, OneTimeStore } from '../ports.js';
import { hashValue } from '../secrets.js';
import { parseTrigger, signatureValid, type SignedTrigger } from './signed_trigger.js';
import type { SigningKeySource } from '../deps.js';

export type TriggerRefusal = 'missing' | 'malformed' | 'other_user' | 'expired' | 'bad_signature' | 'replayed' | 'key_unavailable';

export interface TriggerCheckDeps {
  signingKey: SigningKeySource;
  oneTime: Pick<OneTimeStore, 'claim'>;
  /** How far the trigger's time may be from this clock, in ms (APP_TRIGGER_WINDOW_MS). */
  windowMs: number;
  /** The wall clock, compared with the time Mattermost signed (not a clock tests move to age tokens). */
  wallClock(): number;
}

async function signedByMattermost(deps: Pick<TriggerCheckDeps, 'signingKey'>, trigger: SignedTrigger, refetch: boolean): Promise<TriggerRefusal | undefined> {
  const key = await deps.signingKey.current();
  if (!key) return 'key_unavailable';
  if (signatureValid(trigger, key)) return undefined;
  if (!refetch) return 'bad_signature';
  // The server's key may have been replaced since it was read: read it again (rate-limited) before refusing.
  const fresh = await deps.signingKey.refetch();
  return fresh && fresh !== key && signatureValid(trigger, fresh) ? undefined : 'bad_signature';
}

export type TriggerVerdict = { refusal: TriggerRefusal } | { trigger: SignedTrigger };

/**
 * Every check but the single use, cheap ones first: the trigger when Mattermost signed it for `userId` just now, else why not.
 * Without a claim it is enough to tell a genuine user that the service cannot place the request (no command stored for the team).
 * `refetch`: read Mattermost's key again (rate-limited) before refusing a signature it does not verify.
 */
export async function verifyTrigger(deps: Omit<TriggerCheckDeps, 'oneTime'>, raw: string, userId: string, refetch = true): Promise<TriggerVerdict> {
  if (raw === '') return { refusal: 'missing' };
  const trigger = parseTrigger(raw);
  if (!trigger) return { refusal: 'malformed' };
  if (trigger.userId !== userId) return { refusal: 'other_user' };
  if (Math.abs(deps.wallClock() - trigger.signedAt) > deps.windowMs) return { refusal: 'expired' };
  const unsigned = await signedByMattermost(deps, trigger, refetch);
  return unsigned ? { refusal: unsigned } : { trigger };
}

/**
 * The record that spends a trigger, kept until the trigger could no longer pass the time check. It is keyed on
 * what Mattermost signed (its random client id, the user, the time), never on the text as sent: base64 with or
 * without padding, spare low bits in a last character, or the signature's other valid form (s and n - s; ECDSA
 * signatures are malleable) are other texts of the same trigger, and each must find it spent.
 */
export const spentTrigger = (trigger: SignedTrigger, windowMs: number): OneTimeRecord => ({
  key_hash: hashValue(`trigger.${trigger.signedText}`),
  purpose: 'trigger',
  user_id: trigger.userId,
  provider_id: '',
  expires_at: trigger.signedAt + windowMs + 1,
});

/** Undefined when the request may run as `userId`; otherwise why not. Cheap checks first, the database write last. */
export async function checkTrigger(deps: TriggerCheckDeps, raw: string, userId: string): Promise<TriggerRefusal | undefined> {
  const verified = await verifyTrigger(deps, raw, userId);
  if ('refusal' in verified) return verified.refusal;
  return (await deps.oneTime.claim(spentTrigger(verified.trigger, deps.windowMs))) ? undefined : 'replayed';
}

/** What the refused request is told (HTTP 401, so Mattermost shows the status, and a text for whoever reads the body). */
export const TRIGGER_REFUSED: Record<TriggerRefusal, string> = {
  missing: 'Unauthorized: this request carries no trigger id signed by Mattermost.',
  malformed: 'Unauthorized: this request carries no trigger id signed by Mattermost.',
  other_user: 'Unauthorized: the trigger id was signed for another user.',
  expired: 'Unauthorized: the trigger id is too old (or the clocks of Mattermost and this service differ).',
  bad_signature: "Unauthorized: the trigger id is not signed with this Mattermost server's key.",
  replayed: 'Unauthorized: the trigger id was already used.',
  key_unavailable: "The service cannot read Mattermost's signing key right now, so it cannot tell who sent this command. Try again in a minute.",
};
