/**
 * What team sync does with one team's commands: replace a foreign `/oauth2`,
 * make a missing one, restore changed fields, renew a token someone else
 * regenerated, and store the result. Each change made by someone else is a
 * finding (what, and what was done); where the client may not repair, the
 * team is marked unrepaired and its stored token hash is cleared (team_run.ts).
 */
import type { Command } from '@mattermost/types/integrations';
import { hashCommandToken } from '../commands/command_token.js';
import { attempt, type Attempt } from './context.js';
import { COMMAND_TRIGGER } from './names.js';
import { changedFields, commandFieldsHash } from './team_commands.js';
import { CHECK_ONLY, DELETED, describeChanges, describeForeign, DISTRUSTED, REFUSED, REGENERATED } from './team_findings.js';
import { record, save, saveIfChanged, UNTRUSTED, type Sync, type TeamRun } from './team_run.js';

async function makeCommand(sync: Sync, run: TeamRun): Promise<Attempt<Command>> {
  const made = await attempt(() => sync.client.addCommand({ ...sync.want, team_id: run.team.id } as Command));
  if (made.ok) await save(sync, made.value, made.value.token);
  return made;
}

/** Deletes each foreign command; then, when the team has none of ours, makes ours. */
export async function replaceForeign(sync: Sync, run: TeamRun, foreign: Command[], makeOurs: boolean): Promise<void> {
  const removals: Array<{ what: string; removed?: Attempt<unknown> }> = [];
  for (const command of foreign) {
    const what = await describeForeign(sync.client, command);
    removals.push({ what, removed: sync.apply ? await attempt(() => sync.client.deleteCommand(command.id)) : undefined });
  }
  const made = makeOurs && removals.every((r) => r.removed?.ok) ? await makeCommand(sync, run) : undefined;
  for (const { what, removed } of removals) {
    if (!removed) record(sync, run, what, CHECK_ONLY, false);
    else if (!removed.ok) record(sync, run, what, `could not delete it (${removed.reason}); ${REFUSED}`, false);
    else if (!made) record(sync, run, what, 'deleted it', true);
    else if (made.ok) record(sync, run, what, `deleted it and made the service's own /${COMMAND_TRIGGER} again`, true);
    else record(sync, run, what, `deleted it, but could not make the service's own (${made.reason}); ${REFUSED}`, false);
  }
}

/** No command of ours and none in the way: a new team, or ours was deleted. 'duplicate': someone made one meanwhile. */
export async function createOurs(sync: Sync, run: TeamRun): Promise<'duplicate' | undefined> {
  const deleted = run.stored !== undefined;
  if (!sync.apply) {
    if (deleted) record(sync, run, DELETED, CHECK_ONLY, false);
    else sync.report.problem(`${run.where} has no /${COMMAND_TRIGGER} command`, 'run oauth2-connect setup');
    return undefined;
  }
  const made = await makeCommand(sync, run);
  if (!made.ok && made.duplicate) return 'duplicate';
  if (deleted) record(sync, run, DELETED, made.ok ? 'made a new one' : `could not make a new one (${made.reason}); ${REFUSED}`, made.ok);
  else if (made.ok) sync.report.did(`created /${COMMAND_TRIGGER} in ${run.where}`);
  else sync.report.problem(`could not create /${COMMAND_TRIGGER} in ${run.where} (${made.reason})`, 'run oauth2-connect setup as a system admin');
  return undefined;
}

/** Ours exists: restore what someone changed, renew a token someone regenerated, store the result. */
export async function keepOurs(sync: Sync, run: TeamRun, found: Command): Promise<void> {
  const noted = sync.report.done.length + sync.report.findings.length + sync.report.problems.length;
  const sameId = run.stored?.command_id === found.id;
  const command = await restoreFields(sync, run, found, sameId);
  const token = command && (await checkToken(sync, run, command, sameId));
  if (command && token) await saveIfChanged(sync, run, command, token);
  if (sync.report.done.length + sync.report.findings.length + sync.report.problems.length === noted) sync.report.ok(`/${COMMAND_TRIGGER} in ${run.where}`);
}

/**
 * A difference from what the service wants is a finding when the fields no
 * longer hash to what the service last wrote; otherwise the product or its
 * root URL changed, and the command is updated quietly.
 */
async function restoreFields(sync: Sync, run: TeamRun, found: Command, sameId: boolean): Promise<Command | undefined> {
  const changed = changedFields(found, sync.want);
  if (changed.length === 0) return found;
  const storedHash = sameId ? run.stored?.fields_hash : undefined;
  const tampered = storedHash !== undefined && commandFieldsHash(found) !== storedHash;
  const what = `the /${COMMAND_TRIGGER} command had been changed: ${describeChanges(found, changed)}`;
  if (!sync.apply) {
    if (tampered) record(sync, run, what, CHECK_ONLY, false);
    else sync.report.problem(`/${COMMAND_TRIGGER} in ${run.where} differs in ${changed.join(', ')}`, 'run oauth2-connect setup');
    return found;
  }
  const edited = await attempt(() => sync.client.editCommand({ ...found, ...sync.want }));
  if (tampered) record(sync, run, what, edited.ok ? 'restored it' : `could not restore it (${edited.reason}); ${REFUSED}`, edited.ok);
  else if (edited.ok) sync.report.did(`updated /${COMMAND_TRIGGER} in ${run.where} (${changed.join(', ')})`);
  else {
    sync.report.problem(`could not update /${COMMAND_TRIGGER} in ${run.where} (${edited.reason})`, 'run oauth2-connect setup as a system admin');
    run.unrepaired = true;
  }
  return edited.ok ? edited.value : undefined;
}

/** The token to store, after renewing one whose hash is not the stored one; undefined when it cannot be stored. */
async function checkToken(sync: Sync, run: TeamRun, command: Command, sameId: boolean): Promise<string | undefined> {
  if (!command.token) {
    sync.report.problem(`cannot read the token of /${COMMAND_TRIGGER} in ${run.where}`, 'run oauth2-connect setup as a system admin');
    return undefined;
  }
  if (!sameId || run.stored!.token_hash === hashCommandToken(command.token)) return command.token;
  const what = run.stored!.token_hash === UNTRUSTED ? DISTRUSTED : REGENERATED;
  if (!sync.apply) return void record(sync, run, what, `${CHECK_ONLY}; meanwhile commands typed in this team are refused`, false);
  const renewed = await attempt(() => sync.client.regenCommandToken(command.id));
  const made = what === REGENERATED ? 'made a new token, so the one that was regenerated no longer works' : 'made a new token';
  const outcome = renewed.ok ? made : `could not make a new token (${renewed.reason}); ${REFUSED}`;
  record(sync, run, what, outcome, renewed.ok);
  return renewed.ok ? renewed.value.token : undefined;
}
