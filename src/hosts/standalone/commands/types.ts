/**
 * Slash command requests and answers of the standalone host, and the table of
 * subcommand handlers. A handler is `(request, deps) => Promise<CommandResponse>`:
 * no `res`, no try/catch; the route maps a thrown error to an ephemeral text.
 */
import type { StandaloneDeps } from '../deps.js';

/** The form Mattermost posts for `/oauth2 …` (docs/mattermost.md, "What Mattermost sends"), after the token check. */
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

/** What Mattermost accepts as a command answer (docs/mattermost.md, "The answer"); always sent as HTTP 200 JSON. */
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
  /** One line for `help`, e.g. "`connect [provider]`: connect your account at a provider". */
  help: string;
  /** Left out of help and of the unknown-subcommand list (the webapp panel's `__…` subcommands). */
  hidden?: boolean;
}

/** Subcommands by name (lower case); http/router.ts adds the core's with `registerSubcommand`. */
export type SubcommandTable = Map<string, Subcommand>;

export const ephemeral = (text: string): CommandResponse => ({ response_type: 'ephemeral', text });
