/**
 * Dialog state (identity chain step 5). Mattermost does not sign dialog
 * submissions, so the dialog's `state` carries an HMAC-SHA256 over the user,
 * the purpose, the target, the expiry, a nonce and what the form showed,
 * under a key derived from the encryption key ("oauth2-connect dialog
 * state"). Format: "v1.<base64url JSON payload>.<base64url MAC>". The state
 * is visible to the user's client: it holds nothing secret. The nonce makes
 * a dialog single use (single_use.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sameText } from '../secrets.js';

export const DIALOG_TTL_MS = 15 * 60 * 1000;

export interface DialogState {
  /** The Mattermost user the dialog was opened for. */
  user_id: string;
  /** What the dialog does; also its callback_id. */
  purpose: string;
  /** What it acts on (a provider id…), '' when nothing. */
  target: string;
  expires_at: number;
  nonce: string;
  /** What the form showed that a field refresh must know (the provider type of the add form), '' when nothing. */
  shown: string;
}

export type DialogStateInput = Pick<DialogState, 'user_id' | 'purpose' | 'target'> & { shown?: string };

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(`v1.${payload}`).digest('base64url');

function encode(key: Buffer, state: DialogState): string {
  const fields = [state.user_id, state.purpose, state.target, state.expires_at, state.nonce, state.shown];
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `v1.${payload}.${mac(key, payload)}`;
}

/** A new dialog: a fresh nonce, expiring ttlMs from now. */
export function signDialogState(key: Buffer, input: DialogStateInput, now: number, ttlMs = DIALOG_TTL_MS): string {
  return encode(key, { ...input, shown: input.shown ?? '', expires_at: now + ttlMs, nonce: randomBytes(12).toString('base64url') });
}

/**
 * The same dialog after a field refresh: its user, purpose, expiry and nonce
 * stay (a refresh neither extends its life nor makes a second dialog that
 * could be submitted once more); only the target and what it shows follow
 * the new form.
 */
export function resignDialogState(key: Buffer, state: DialogState, changes: Pick<DialogState, 'target' | 'shown'>): string {
  return encode(key, { ...state, ...changes });
}

export type StateCheck = { ok: true; state: DialogState } | { ok: false; reason: string };

function decode(payload: string): DialogState | undefined {
  try {
    const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(fields) || fields.length !== 6) return undefined;
    const [user_id, purpose, target, expires_at, nonce, shown] = fields as unknown[];
    if (typeof expires_at !== 'number') return undefined;
    if ([user_id, purpose, target, nonce, shown].some((v) => typeof v !== 'string')) return undefined;
    return { user_id, purpose, target, expires_at, nonce, shown } as DialogState;
  } catch {
    return undefined;
  }
}

/** Signature, expiry, the submitting user and the purpose (= callback_id). */
export function verifyDialogState(key: Buffer, raw: string, expected: { user_id: string; purpose: string }, now: number): StateCheck {
  const [version, payload, signature, extra] = raw.split('.');
  if (version !== 'v1' || !payload || !signature || extra !== undefined) return { ok: false, reason: 'This dialog is not one the service opened.' };
  if (!sameText(signature, mac(key, payload))) return { ok: false, reason: 'This dialog is not one the service opened.' };
  const state = decode(payload);
  if (!state) return { ok: false, reason: 'This dialog is not one the service opened.' };
  if (state.expires_at <= now) return { ok: false, reason: 'This dialog has expired. Run the command again.' };
  if (!sameText(state.user_id, expected.user_id)) return { ok: false, reason: 'This dialog was opened for another user.' };
  if (!sameText(state.purpose, expected.purpose)) return { ok: false, reason: 'This dialog does not match its action.' };
  return { ok: true, state };
}
