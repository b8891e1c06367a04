/**
 * Dialog handlers. A submission reaches its handler only after its state was
 * verified (signature, expiry, user, purpose) and, for admin purposes, after
 * the user's admin rights were re-read from Mattermost.
 *
 * An admin command of the core's list that has a form or asks to confirm
 * gets its dialog from that list (admin/provider_dialogs.ts). Adding another
 * dialog, as choose_provider.ts does:
 * 1. a purpose name, e.g. 'connect.choose' (it becomes the callback_id);
 * 2. an opener called from a subcommand handler with the request's trigger_id:
 *    openDialog(deps, { triggerId, userId, purpose, target: providerId, dialog });
 *    the target is signed into the state, so the handler acts on
 *    `submission.state.target`, never on a submitted field naming a provider;
 * 3. a DialogPurpose { admin, handle } in the router's dialog table
 *    (http/router.ts, createServiceTables);
 * 4. the handler returns {} to close, throws the core's UserFacingError(message,
 *    { fieldErrors: {field: msg} }) for field errors (the dialog stays open) or
 *    UserFacingError(message) for a general error; any other error is
 *    rendered as failures.ts classifies it. A dialog runs once: after {} (or
 *    an unexpected error) its state is used up; after a refusal, the
 *    provider's error or an {errors}/{error} answer it can be submitted again.
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

/** What Mattermost accepts back from a dialog submission (docs/mattermost.md, "Interactive dialogs"): {} closes it. */
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
