/**
 * One team sync run and one team within it: what the run works with, how a
 * finding is recorded, and the team's record in the installation store (the
 * command id, its token hash, creator and fields as the service wrote them).
 */
import type { Command } from '@mattermost/types/integrations';
import type { Team } from '@mattermost/types/teams';
import type { MattermostClient4 } from '../client4.js';
import type { InstallationStore, TeamCommand } from '../ports.js';
import { hashCommandToken } from '../commands/command_token.js';
import { COMMAND_TRIGGER } from './names.js';
import type { SetupReport } from './report.js';
import { commandFieldsHash, type CommandFields } from './team_commands.js';

/** The stored token hash of a team whose command could not be repaired: no token matches it. */
export const UNTRUSTED = '';

export interface Sync {
  client: MattermostClient4;
  store: InstallationStore;
  apply: boolean;
  report: SetupReport;
  now: () => number;
  want: CommandFields;
  /** Who makes new commands (the user behind `client`). */
  creatorId: string;
  /** Creators whose `/oauth2` is the service's: the bot and the creator. */
  trusted: Set<string>;
}

export interface TeamRun {
  team: Team;
  where: string;
  stored: TeamCommand | undefined;
  /** Set when something found could not be repaired: the team's command is not the service's. */
  unrepaired: boolean;
}

export function record(sync: Sync, run: TeamRun, what: string, outcome: string, repaired: boolean): void {
  sync.report.found({ team: run.team.name, what, outcome, repaired });
  if (!repaired) run.unrepaired = true;
}

export async function save(sync: Sync, command: Command, token: string): Promise<void> {
  await sync.store.saveCommand({
    team_id: command.team_id,
    command_id: command.id,
    token_hash: hashCommandToken(token),
    creator_id: command.creator_id,
    fields_hash: commandFieldsHash(command),
    updated_at: sync.now(),
  });
}

export async function saveIfChanged(sync: Sync, run: TeamRun, command: Command, token: string): Promise<void> {
  const s = run.stored;
  const sameToken = s?.command_id === command.id && s.token_hash === hashCommandToken(token);
  const sameOwner = s?.creator_id === command.creator_id && s.fields_hash === commandFieldsHash(command);
  if (sameToken && sameOwner) return;
  if (!sync.apply) {
    if (!sameToken)
      sync.report.problem(`the token of /${COMMAND_TRIGGER} in ${run.where} is not stored (requests would be refused)`, 'run oauth2-connect setup');
    return;
  }
  await save(sync, command, token);
  if (!sameToken) sync.report.did(`stored the token hash of /${COMMAND_TRIGGER} in ${run.where}`);
  else sync.report.did(`recorded the creator and fields of /${COMMAND_TRIGGER} in ${run.where}`);
}

/**
 * The team's record stays, without a token hash: no request matches it, and
 * the next run still knows which command was tampered with, so it retries the
 * repair instead of adopting that command (and the token someone else holds).
 */
export async function distrust(sync: Sync, run: TeamRun): Promise<void> {
  if (!sync.apply || !run.stored || run.stored.token_hash === UNTRUSTED) return;
  await sync.store.saveCommand({ ...run.stored, token_hash: UNTRUSTED, updated_at: sync.now() });
  sync.report.did(`cleared the stored token hash of ${run.where}: its /${COMMAND_TRIGGER} is not the service's, so requests from it are refused`);
}
