// The standalone host's transport: a hidden subcommand of the team's `/oauth2`
// command, run with `POST /api/v4/commands/execute` and the user's own session.
// Mattermost checks the session and sends the command token, so the service
// learns who calls without trusting the browser; no secret lives here and no
// CORS is needed (this page talks only to its own Mattermost). The service
// answers with empty text (nothing is posted) and the result in
// props.oauth2_connect, shaped as a call response.
import type { CallResponse } from '../wire_types.js';
import { Messages, toCallResponse } from './apps_client.js';
import type { CallOrigin } from './apps_client.js';
import { sessionPostOptions } from './session_fetch.js';
import { trimTrailingSlashes } from '../../src/util/trim_slashes.js';

export const COMMAND_TRIGGER = '/oauth2';
export const EXECUTE_PATH = '/api/v4/commands/execute';
/** The props key of the service's answer (src/hosts/standalone/panel/panel_commands.ts PANEL_PROP). */
export const ANSWER_PROP = 'oauth2_connect';

export const CommandMessages = {
  serviceDown: 'The OAuth2 Connect service did not answer. Try again later, or ask a system admin to check that it is running.',
  noChannel: 'Open a channel first: Mattermost runs the OAuth2 Connect command in the current channel.',
} as const;

/** What running the command gave: the service's answer, no such command (or not ours), or a failure in words. */
export type CommandOutcome = { kind: 'answer'; response?: CallResponse; triggerId?: string } | { kind: 'absent' } | { kind: 'failed'; text: string };

interface ExecuteReply {
  trigger_id?: unknown;
  props?: Record<string, unknown> | null;
}

function failure(status: number): CommandOutcome {
  if (status === 404) return { kind: 'absent' };
  if (status === 401) return { kind: 'failed', text: Messages.sessionExpired };
  if (status === 403) return { kind: 'failed', text: Messages.forbidden };
  // Mattermost answers 500 when the service is down, times out or answers non-200 (docs/mattermost.md, "Running a command from the webapp").
  return { kind: 'failed', text: CommandMessages.serviceDown };
}

/** Runs `/oauth2 <text>` in the user's current channel. */
export async function runCommand(origin: CallOrigin, text: string): Promise<CommandOutcome> {
  if (!origin.channelId) return { kind: 'failed', text: CommandMessages.noChannel };
  const url = `${trimTrailingSlashes(origin.siteURL)}${EXECUTE_PATH}`;
  const body = JSON.stringify({ command: `${COMMAND_TRIGGER} ${text}`, channel_id: origin.channelId, team_id: origin.teamId });
  let res: Response;
  try {
    res = await globalThis.fetch(url, sessionPostOptions(body));
  } catch {
    return { kind: 'failed', text: Messages.unreachable };
  }
  if (!res.ok) return failure(res.status);
  let reply: ExecuteReply;
  try {
    reply = JSON.parse(await res.text()) as ExecuteReply;
  } catch {
    return { kind: 'failed', text: Messages.badResponse };
  }
  const triggerId = typeof reply?.trigger_id === 'string' && reply.trigger_id ? reply.trigger_id : undefined;
  const answer = reply?.props?.[ANSWER_PROP];
  return { kind: 'answer', ...(answer !== undefined && { response: toCallResponse(answer) }), ...(triggerId && { triggerId }) };
}

/** A panel subcommand (`__panel`, `__connect <id>`…): an answer without our props means the command is not ours. */
export async function runPanelCommand(origin: CallOrigin, text: string): Promise<CommandOutcome> {
  const outcome = await runCommand(origin, text);
  return outcome.kind === 'answer' && !outcome.response ? { kind: 'absent' } : outcome;
}
