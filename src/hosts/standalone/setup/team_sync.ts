/**
 * Puts `/oauth2` into every team, without a person: run by setup (apply) and
 * by the service at start and periodically with the bot's token. Creates
 * missing commands, recreates deleted ones, updates a changed URL or hint,
 * and stores each team's command id with the hash of its token.
 */
import type { Command } from '@mattermost/types/integrations';
import type { Team } from '@mattermost/types/teams';
import type { MattermostRestClient } from '../../../mattermost/client4.js';
import type { InstallationStore, TeamCommand } from '../ports.js';
import { hashCommandToken } from './command_token.js';
import { COMMAND_TRIGGER, serviceUrls } from './names.js';
import { SetupReport } from './report.js';
import { changedFields, isDuplicateTrigger, wantedCommand, type CommandFields } from './team_commands.js';

export interface TeamSyncOptions {
  /** Client4 with the bot's token (the service) or the admin's (setup --check). */
  client: MattermostRestClient;
  store: InstallationStore;
  rootUrl: string;
  botUserId: string;
  /** False: read and report only. Default true. */
  apply?: boolean;
  report?: SetupReport;
  now?: () => number;
}

type Sync = Required<Omit<TeamSyncOptions, 'rootUrl'>> & { want: CommandFields };

export async function listAllTeams(client: MattermostRestClient): Promise<Team[]> {
  const teams: Team[] = [];
  for (let page = 0; ; page++) {
    const batch = (await client.getTeams(page, 200)) as Team[];
    teams.push(...batch);
    if (batch.length < 200) return teams;
  }
}

export async function syncTeams(options: TeamSyncOptions): Promise<SetupReport> {
  const sync: Sync = {
    apply: true,
    report: new SetupReport(),
    now: Date.now,
    ...options,
    want: wantedCommand(serviceUrls(options.rootUrl).command),
  };
  const teams = await listAllTeams(sync.client);
  for (const team of teams) await syncTeam(sync, team);
  await forgetGoneTeams(sync, new Set(teams.map((t) => t.id)));
  return sync.report;
}

async function syncTeam(sync: Sync, team: Team, retried = false): Promise<void> {
  const where = `team "${team.name}"`;
  const stored = await sync.store.commandForTeam(team.id);
  const commands = await sync.client.getCustomTeamCommands(team.id);
  const ours = commands.find((c) => c.id === stored?.command_id) ?? commands.find((c) => c.trigger === COMMAND_TRIGGER && c.creator_id === sync.botUserId);
  if (ours) return keepCommand(sync, ours, stored, where);
  const squatter = commands.find((c) => c.trigger === COMMAND_TRIGGER);
  if (squatter) {
    return sync.report.problem(
      `${where} already has a /${COMMAND_TRIGGER} command not made by setup (id ${squatter.id})`,
      `delete that command (Integrations > Slash Commands in ${where}), then run npm run setup`,
    );
  }
  const what = stored ? 'recreated the deleted' : 'created';
  if (!sync.apply) return sync.report.problem(`${where} has no /${COMMAND_TRIGGER} command`, 'run npm run setup (or start the service: it syncs teams)');
  try {
    const made = await sync.client.addCommand({ ...sync.want, team_id: team.id } as Command);
    await save(sync, made);
    sync.report.did(`${what} /${COMMAND_TRIGGER} in ${where}`);
  } catch (err) {
    // Another replica may have created it a moment ago: adopt that one.
    if (!isDuplicateTrigger(err) || retried) throw err;
    await syncTeam(sync, team, true);
  }
}

async function keepCommand(sync: Sync, found: Command, stored: TeamCommand | undefined, where: string): Promise<void> {
  let command = found;
  const changed = changedFields(found, sync.want);
  if (changed.length > 0) {
    if (!sync.apply) sync.report.problem(`/${COMMAND_TRIGGER} in ${where} differs in ${changed.join(', ')}`, 'run npm run setup');
    else {
      command = await sync.client.editCommand({ ...found, ...sync.want });
      sync.report.did(`updated /${COMMAND_TRIGGER} in ${where} (${changed.join(', ')})`);
    }
  }
  const hash = command.token ? hashCommandToken(command.token) : undefined;
  if (stored?.command_id === command.id && stored.token_hash === hash) {
    if (changed.length === 0) sync.report.ok(`/${COMMAND_TRIGGER} in ${where}`);
    return;
  }
  if (!hash) return sync.report.problem(`cannot read the token of /${COMMAND_TRIGGER} in ${where}`, 'run npm run setup as a system admin');
  if (!sync.apply) return sync.report.problem(`the token of /${COMMAND_TRIGGER} in ${where} is not stored (requests would be refused)`, 'run npm run setup');
  await save(sync, command);
  sync.report.did(`stored the token hash of /${COMMAND_TRIGGER} in ${where}`);
}

async function save(sync: Sync, command: Command): Promise<void> {
  await sync.store.saveCommand({ team_id: command.team_id, command_id: command.id, token_hash: hashCommandToken(command.token), updated_at: sync.now() });
}

async function forgetGoneTeams(sync: Sync, teamIds: Set<string>): Promise<void> {
  for (const record of await sync.store.listCommands()) {
    if (teamIds.has(record.team_id)) continue;
    if (!sync.apply) continue;
    await sync.store.deleteCommand(record.team_id);
    sync.report.did(`forgot the command of team ${record.team_id}, which no longer exists`);
  }
}
