/**
 * Dialog handlers. A submission reaches its handler only after its state was
 * verified (signature, expiry, user, purpose) and, for admin purposes, after
 * the user's admin rights were re-read from Mattermost.
 *
 * Adding a dialog (e.g. the provider add/edit/remove/register forms), as
 * choose_provider.ts does:
 * 1. a purpose name, e.g. 'provider.edit' (it becomes the callback_id);
 * 2. an opener called from a subcommand handler with the request's trigger_id:
 *    openDialog(deps, { triggerId, userId, purpose, target: providerId, dialog });
 *    the target is signed into the state, so the handler acts on
 *    `submission.state.target`, never on a submitted field naming a provider;
 * 3. a DialogPurpose { admin: true, handle } added to the table before the
 *    router is made: tables.dialogs.set('provider.edit', purpose);
 * 4. the handler returns {} to close, throws Refusal(message, 400, {field: msg})
 *    for field errors (the dialog stays open) or Refusal(message) for a general
 *    error; any other error becomes a generic text and a log line. A dialog
 *    runs once: after {} (or an unexpected error) its state is used up; after
 *    a Refusal or an {errors}/{error} answer it can be submitted again.
 */
import type { DialogSpec } from '../bot.js';
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
export type DialogResponse = Record<string, never> | { errors: Record<string, string> } | { error: string } | { type: 'form'; form: DialogSpec };

export type DialogHandler = (submission: DialogSubmission, deps: StandaloneDeps) => Promise<DialogResponse>;

export interface DialogPurpose {
  /** True for the provider admin dialogs: isSystemAdmin is re-read at submission. */
  admin: boolean;
  handle: DialogHandler;
  /**
   * Field refresh (v11.1+, `refresh` elements and `source_url`): the dialog
   * built again from the values so far; the route signs the same dialog's
   * state again with the returned target and `shown` (what a later refresh
   * needs to know the form showed).
   */
  refresh?: (
    submission: DialogSubmission,
    deps: StandaloneDeps,
  ) => Promise<{ dialog: Omit<DialogSpec, 'callback_id' | 'state'>; target: string; shown?: string }>;
}

/** Dialog purposes by name (the dialog's callback_id). */
export type DialogTable = Map<string, DialogPurpose>;

export const closeDialog = (): DialogResponse => ({});
