/**
 * A dialog runs once. Its nonce is claimed in the shared one-time store just
 * before its handler runs: of two submissions of one state, even at the same
 * moment on two replicas, exactly one claims it and the other is refused. A
 * submission refused with errors the user can correct (a refusal or the
 * provider's error, thrown or answered: the dialog stays open, nothing was
 * changed) hands the nonce back, so the same dialog can be submitted again;
 * any other outcome keeps it until the state expires. A field refresh keeps
 * the nonce (state.ts), so a refreshed dialog is still the same single dialog.
 */
import type { StandaloneDeps } from '../deps.js';
import { classifyFailure } from '../failures.js';
import { hashValue } from '../secrets.js';
import type { DialogState } from './state.js';
import type { DialogResponse } from './types.js';

export const DIALOG_USED = 'This dialog was already used. Run the command again to open a new one.';

type Deps = Pick<StandaloneDeps, 'oneTime' | 'now' | 'refusalLog'>;

const keyOf = (state: DialogState): string => hashValue(`dialog.${state.nonce}`);

/** Whether a submission of this dialog has run (or is running). */
export function dialogUsed(deps: Deps, state: DialogState): Promise<boolean> {
  return deps.oneTime.holds(keyOf(state), 'dialog', deps.now());
}

const keepsDialogOpen = (answer: DialogResponse): boolean => 'errors' in answer || 'error' in answer;

/** Runs a verified submission at most once; `run` answers or throws as a dialog handler does. */
export async function runOnce(deps: Deps, state: DialogState, run: () => Promise<DialogResponse>): Promise<DialogResponse> {
  const record = { key_hash: keyOf(state), purpose: 'dialog' as const, user_id: state.user_id, provider_id: state.target, expires_at: state.expires_at };
  if (!(await deps.oneTime.claim(record))) {
    deps.refusalLog('dialog refused', { callback_id: state.purpose.slice(0, 64), user_id: state.user_id, reason: 'already used' });
    return { error: DIALOG_USED };
  }
  const release = () => deps.oneTime.take(record.key_hash, 'dialog', deps.now());
  let answer: DialogResponse;
  try {
    answer = await run();
  } catch (err) {
    // A refusal or the provider's error changed nothing here; any other error may have left a change behind.
    if (['refused', 'oauth'].includes(classifyFailure(err).kind)) await release();
    throw err;
  }
  if (keepsDialogOpen(answer)) await release();
  return answer;
}
