/** Opening a dialog: the signed state, callback_id = purpose, url = <root>/standalone/dialog. */
import type { DialogSpec } from '../bot.js';
import type { StandaloneDeps } from '../deps.js';
import { signDialogState } from './state.js';

export interface OpenDialogInput {
  triggerId: string;
  userId: string;
  purpose: string;
  /** What the dialog acts on ('' when nothing). */
  target: string;
  /** What the form shows that a field refresh must know (state.ts), '' or left out when nothing. */
  shown?: string;
  /** The dialog without callback_id, state (set here). */
  dialog: Omit<DialogSpec, 'callback_id' | 'state'>;
}

export const dialogUrl = (rootUrl: string): string => `${rootUrl}/standalone/dialog`;

export async function openDialog(deps: Pick<StandaloneDeps, 'bot' | 'dialogKey' | 'now' | 'settings'>, input: OpenDialogInput): Promise<void> {
  const signed = { user_id: input.userId, purpose: input.purpose, target: input.target, shown: input.shown ?? '' };
  const state = signDialogState(deps.dialogKey, signed, deps.now());
  await deps.bot.openDialog(input.triggerId, dialogUrl(deps.settings.rootUrl), { ...input.dialog, callback_id: input.purpose, state });
}
