/**
 * Puts `/oauth2` into every team and keeps it the service's own: run by setup
 * (with the admin's or the admin bot's token) and, for an admin bot, by the
 * service at start and periodically. A command someone else changed, whose
 * token someone regenerated, that was deleted, or another `/oauth2` in its
 * place is a finding (team_repair.ts): repaired where the client may, and the
 * team's stored token hash is cleared where it could not be, so requests from
 * that team are refused.
 */
import type { Command } from '@mattermost/types/integrations';
import type { Team } from '@mattermost/types/teams';
import type { MattermostClient4 } from '../client4.js';
import type { InstallationStore, TeamCommand } from '../ports.js';
import { COMMAND_TRIGGER, serviceUrls } from './names.js';
import { SetupReport } from './report.js';
import { wantedCommand } from './team_commands.js';
import { createOurs, keepOurs, replaceForeign } from './team_repair.js';
import { distrust, type Sync, type TeamRun } from './team_run.js';

export interface TeamSyncOptions {
  /** Client4 with the token of whoever makes the commands: the admin bot, or the admin running setup. */
  client: MattermostClient4;
  store: InstallationStore;
  rootUrl: string;
  botUserId: string;
  /** The user behind `client`, recorded as each new command's creator. Default: the bot. */
  creatorId?: string;
  /** False: read and report only. Default true. */
  apply?: boolean;
  report?: SetupReport;
  now?: () => number;
}

export async function listAllTeams(client: MattermostClient4): Promise<Team[]> {
  const teams: Team[] = [];
  for (let page = 0; ; page++) {
    const batch = (await client.getTeams(page, 200)) as Team[];
    teams.push(...batch);
    if (batch.length < 200) return teams;
  }
}

export async function syncTeams(options: TeamSyncOptions): Promise<SetupReport> {
  const creatorId = options.creatorId ?? options.botUserId;
  const sync: Sync = {
    client: options.client,
    store: options.store,
    apply: options.apply ?? true,
    report: options.report ?? new SetupReport(),
    now: options.now ?? Date.now,
    want: wantedCommand(serviceUrls(options.rootUrl).command),
    creatorId,
    trusted: new Set([options.botUserId, creatorId].filter(Boolean)),
  };
  const teams = await listAllTeams(sync.client);
  for (const team of teams) await syncTeam(sync, team);
  await forgetGoneTeams(sync, new Set(teams.map((t) => t.id)));
  return sync.report;
}

/**
 * Ours: the stored command when its creator is one the service trusts, else
 * a trusted creator's `/oauth2` (records lost, or another replica made it a
 * moment ago). Any other `/oauth2` is foreign, as is the stored id when its
 * creator is not trusted.
 */
function classify(commands: Command[], stored: TeamCommand | undefined, trusted: Set<string>): { ours?: Command; foreign: Command[] } {
  const trustedHere = new Set([...trusted, ...(stored?.creator_id ? [stored.creator_id] : [])]);
  const isTrusted = (c: Command) => trustedHere.has(c.creator_id);
  const byId = commands.find((c) => c.id === stored?.command_id);
  const ours = byId && isTrusted(byId) ? byId : commands.find((c) => c.trigger === COMMAND_TRIGGER && isTrusted(c));
  const foreign = commands.filter((c) => c !== ours && (c.trigger === COMMAND_TRIGGER || c === byId));
  return { ours, foreign };
}

async function syncTeam(sync: Sync, team: Team, retried = false): Promise<void> {
  const stored = await sync.store.commandForTeam(team.id);
  const { ours, foreign } = classify(await sync.client.getCustomTeamCommands(team.id), stored, sync.trusted);
  const run: TeamRun = { team, where: `team "${team.name}"`, stored, unrepaired: false };
  if (foreign.length > 0) await replaceForeign(sync, run, foreign, !ours);
  if (ours) await keepOurs(sync, run, ours);
  else if (foreign.length === 0 && (await createOurs(sync, run)) === 'duplicate') {
    // Another replica may have created it a moment ago: look again once, and adopt that one.
    if (!retried) return syncTeam(sync, team, true);
    sync.report.problem(`${run.where}: /${COMMAND_TRIGGER} appeared while team sync was making it, twice`, 'run oauth2-connect setup again');
  }
  if (run.unrepaired) await distrust(sync, run);
}

async function forgetGoneTeams(sync: Sync, teamIds: Set<string>): Promise<void> {
  for (const record of await sync.store.listCommands()) {
    if (teamIds.has(record.team_id)) continue;
    if (!sync.apply) continue;
    await sync.store.deleteCommand(record.team_id);
    sync.report.did(`forgot the command of team ${record.team_id}, which no longer exists`);
  }
}
