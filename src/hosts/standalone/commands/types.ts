/**
 * Slash command requests and answers of the standalone host, and the table of
 * subcommand handlers (derived from the core's command list, http/router.ts).
 * A handler is `(request, deps) => Promise<CommandResponse>`: no `res`, no
 * try/catch; the route renders a thrown error as failures.ts classifies it.
 */
import type { StandaloneDeps } from '../deps.js';

/** The form Mattermost posts for `/oauth2 …` (core-integrations §1.4), after the token check. */
export interface CommandRequest {
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  trigger_id: string;
  root_id: string;
  response_url: string;
  /** The first word of `text`, lower-cased ('' when text is empty). */
  subcommand: string;
  /** The remaining words of `text`. */
  args: string[];
}

/** What Mattermost accepts as a command answer (§1.6); always sent as HTTP 200 JSON. */
export interface CommandResponse {
  response_type?: 'ephemeral' | 'in_channel';
  text?: string;
  goto_location?: string;
  skip_slack_parsing?: boolean;
  props?: Record<string, unknown>;
}

export type SubcommandHandler = (request: CommandRequest, deps: StandaloneDeps) => Promise<CommandResponse>;

export interface Subcommand {
  handler: SubcommandHandler;
  /** Left out of the unknown-subcommand list (the webapp panel's `__…` subcommands; help lists the core's commands only). */
  hidden?: boolean;
  /** It starts from the user's view (providers and connections): the command's admission may read that in its own round trip. */
  readsUserView?: boolean;
}

/** Subcommands by name (lower case): the first word of each of the core's commands, and the panel's. */
export type SubcommandTable = Map<string, Subcommand>;

export const ephemeral = (text: string): CommandResponse => ({ response_type: 'ephemeral', text });
