/**
 * Dialog handlers. A submission reaches its handler only after its state was
 * verified (signature, expiry, user, purpose) and, for admin purposes, after
 * the user's admin rights were re-read from Mattermost.
 */
import type { StandaloneDeps } from '../deps.js';
import type { DialogState } from './state.js';

export type SubmittedValue = string | number | boolean | string[] | null;

/** A verified submission. `state.target` is what the dialog was opened for: act on that, not on a field. */
export interface DialogSubmission {
  user_id: string;
  channel_id: string;
  team_id: string;
  callback_id: string;
  submission: Record<string, SubmittedValue>;
  state: DialogState;
}

/** What the dialog protocol accepts back (core-integrations §2.4): {} closes it. */
export type DialogResponse = Record<string, never> | { errors: Record<string, string> } | { error: string };

export type DialogHandler = (submission: DialogSubmission, deps: StandaloneDeps) => Promise<DialogResponse>;

export interface DialogPurpose {
  /** True for the provider admin dialogs: isSystemAdmin is re-read at submission. */
  admin: boolean;
  handle: DialogHandler;
}

/** Dialog purposes by name (the dialog's callback_id). */
export type DialogTable = Map<string, DialogPurpose>;

export const closeDialog = (): DialogResponse => ({});
