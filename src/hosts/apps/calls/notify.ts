/**
 * Direct messages from the App's bot to the acting user. The DM channel id is
 * cached in the user's summary, so a message usually costs one round trip.
 */
import type { CallRequest } from '../protocol/types.js';
import type { UserState } from '../store/user_state.js';
import { actingUser, botRest } from './context.js';
import type { Deps } from './deps.js';

/** The DM channel id, creating the channel when the summary does not know it yet. */
export async function dmChannel(req: CallRequest, deps: Deps, state: UserState): Promise<string> {
  if (state.dm) return state.dm;
  const botId = req.context.bot_user_id;
  if (!botId) throw new Error('the call carries no bot_user_id');
  return botRest(req, deps).directChannel(botId, actingUser(req).id);
}

/** Sends a DM; a failure is logged, never thrown: the result of the call does not depend on it. */
export async function sendDm(req: CallRequest, deps: Deps, state: UserState, message: string): Promise<void> {
  try {
    const channel = await dmChannel(req, deps, state);
    await botRest(req, deps).createPost(channel, message);
  } catch (err) {
    deps.logger.warn('direct message failed', { user_id: req.context.acting_user?.id, error: err });
  }
}
