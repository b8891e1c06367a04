/**
 * POST /standalone/command: urlencoded body (at most 64 KiB, form_body.ts), the
 * token check and then the signed-trigger check (401, nothing runs, nothing
 * stored; a genuine request for a team without a stored command is told that
 * the service is not set up there), then the full parse and the subcommand. A
 * command that passes both is admitted in one storage round trip (its trigger
 * verified first, then the token read and the trigger's record written
 * together, with the user's view when the subcommand starts from it); any
 * other goes through the checks one by one, which say why it is refused.
 * Every other answer is HTTP 200 application/json, an ephemeral
 * CommandResponse ({} at least, never an empty body); a handler's error
 * becomes a plain text (failures.ts).
 *
 * Every `/oauth2` command takes this route, so it is a plain node handler
 * (commandHandler) that the service mounts ahead of every other route, and
 * writes its JSON itself: none of express's layers is needed here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { UserConnections } from '../../../core/ports.js';
import { COMMAND_BODY_LIMIT, credentialFields, parseCommandBody, subcommandNameOf, type CommandCredentials } from '../commands/command_body.js';
import { commandTokenMatches, hashCommandToken } from '../commands/command_token.js';
import { sameText } from '../secrets.js';
import { dispatch } from '../commands/table.js';
import { ephemeral, type CommandResponse, type SubcommandTable } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { failureOf, type Failure } from '../failures.js';
import { countResponse, markRequest } from '../../../metrics/request_counter.js';
import { panelResponse, panelSubcommands } from '../panel/panel_commands.js';
import { checkTrigger, spentTrigger, TRIGGER_REFUSED, verifyTrigger, type TriggerCheckDeps } from '../trigger/trigger_check.js';
import { readForm, type FormBody } from './form_body.js';
import { sendJson } from '../../../util/json_answer.js';
import { refusedSource } from '../mattermost_source.js';

export const NOT_SET_UP_FOR_TEAM = 'OAuth2 Connect is not set up for this team; ask a system admin to run setup.';

const UNAUTHORIZED: CommandResponse = ephemeral('Unauthorized: this request does not carry the command token of its team.');

const commandAnswer = (failure: Failure): CommandResponse =>
  ephemeral(failure.text ?? 'Something went wrong on the service. Try again, or ask an admin to look at its log.');

/**
 * A failure before the subcommand ran (the token check reads the database). The webapp panel reads only
 * its props and takes an answer without them for a command that is not ours, so its subcommands get the
 * failure there: the panel then says why (the database, its schema, the installation), not "not set up".
 */
function routeFailureAnswer(body: unknown, failure: Failure): CommandResponse {
  const text = (body as { text?: unknown } | undefined)?.text;
  const subcommand = typeof text === 'string' ? (text.trim().split(/\s+/)[0] ?? '') : '';
  if (!Object.hasOwn(panelSubcommands, subcommand)) return commandAnswer(failure);
  return panelResponse({ type: 'error', text: commandAnswer(failure).text ?? '' });
}

const triggerDeps = (deps: StandaloneDeps): TriggerCheckDeps => ({
  signingKey: deps.signingKey,
  oneTime: deps.oneTime,
  windowMs: deps.settings.triggerWindowMs,
  wallClock: deps.wallClock,
});

/** Admitted, and the user's view when the admission read it (the subcommand starts from it). */
type Admission = { admitted: false } | { admitted: true; view?: UserConnections };

/**
 * The common case: a trigger that verifies under the key in hand, then the team's token read and the trigger spent in one
 * round trip. A team without a stored command claims nothing here (the record is written only for its matching token).
 */
async function admittedAtOnce(deps: StandaloneDeps, credentials: CommandCredentials, withView: boolean): Promise<Admission> {
  const verified = await verifyTrigger(triggerDeps(deps), credentials.trigger_id, credentials.user_id, false);
  if ('refusal' in verified) return { admitted: false };
  const tokenHash = hashCommandToken(credentials.token);
  const spent = spentTrigger(verified.trigger, deps.settings.triggerWindowMs);
  const { storedHash, claimed, view } = await deps.admission.admit(credentials.team_id, tokenHash, spent, withView);
  // The storage compared the hashes to decide the write; admitting compares them again, in constant time.
  if (!claimed || !sameText(tokenHash, storedHash ?? '')) return { admitted: false };
  return view ? { admitted: true, view } : { admitted: true };
}

/** The token of the team's command, then Mattermost's signature over the user: admitted when the request may run. */
async function authenticated(deps: StandaloneDeps, body: FormBody, withView: boolean, res: ServerResponse): Promise<Admission> {
  const refused = deps.refusalLog;
  const credentials: CommandCredentials | undefined = credentialFields(body);
  if (credentials) {
    const atOnce = await admittedAtOnce(deps, credentials, withView);
    if (atOnce.admitted) return atOnce;
  }
  // One by one: the team's command, then the token (a wrong one is told so whatever its trigger), then the trigger, Mattermost's key read again before a signature is refused.
  const command = credentials && (await deps.installation.commandForTeam(credentials.team_id));
  if (credentials && !command) {
    await answerUnplaced(deps, credentials, res);
    return { admitted: false };
  }
  if (!credentials || !command || !commandTokenMatches(credentials.token, command.token_hash)) {
    refused('command refused', { reason: 'command_token', team_id: credentials?.team_id });
    sendJson(res, 401, UNAUTHORIZED);
    return { admitted: false };
  }
  const refusal = await checkTrigger(triggerDeps(deps), credentials.trigger_id, credentials.user_id);
  if (refusal === undefined) return { admitted: true };
  refused('command refused', { reason: `trigger_${refusal}`, team_id: credentials.team_id, claimed_user_id: credentials.user_id });
  // Without Mattermost's key nobody can be told apart: say so (200, Mattermost shows it) rather than a bare 401.
  sendJson(res, refusal === 'key_unavailable' ? 200 : 401, ephemeral(TRIGGER_REFUSED[refusal]));
  return { admitted: false };
}

/**
 * No command is stored for the team (setup has not run, or the service uses another storage). A request
 * Mattermost signed for its user is told so (200: Mattermost shows the text); the trigger is not claimed,
 * since nothing runs. Anything else gets the 401 of a request nobody can place.
 */
async function answerUnplaced(deps: StandaloneDeps, credentials: CommandCredentials, res: ServerResponse): Promise<void> {
  const verdict = await verifyTrigger(triggerDeps(deps), credentials.trigger_id, credentials.user_id);
  const refusal = 'refusal' in verdict ? verdict.refusal : undefined;
  deps.refusalLog('command refused', { reason: refusal ? `unknown_team_trigger_${refusal}` : 'unknown_team', team_id: credentials.team_id });
  if (refusal === undefined) sendJson(res, 200, ephemeral(NOT_SET_UP_FOR_TEAM));
  else if (refusal === 'key_unavailable') sendJson(res, 200, ephemeral(TRIGGER_REFUSED[refusal]));
  else sendJson(res, 401, UNAUTHORIZED);
}

/** The view read with the admission, handed to the first withProviders of that user; every other read goes to the storage. */
function withReadView(deps: StandaloneDeps, userId: string, view: UserConnections | undefined): StandaloneDeps {
  if (!view) return deps;
  const storage = deps.connections;
  let unused: UserConnections | undefined = view;
  // The repository itself, with one method in front (its other methods keep it as `this` through the prototype).
  const connections: StandaloneDeps['connections'] = Object.create(storage) as StandaloneDeps['connections'];
  connections.withProviders = async (id) => {
    const read = id === userId ? unused : undefined;
    unused = undefined;
    return read ?? storage.withProviders!(id);
  };
  return { ...deps, connections };
}

async function handleCommand(deps: StandaloneDeps, table: SubcommandTable, body: FormBody, res: ServerResponse): Promise<void> {
  const withView = table.get(subcommandNameOf(body) || 'help')?.readsUserView === true && deps.connections.withProviders !== undefined;
  const admission = await authenticated(deps, body, withView, res);
  if (!admission.admitted) return;
  const parsed = parseCommandBody(body);
  if ('problem' in parsed) {
    sendJson(res, 200, ephemeral(parsed.problem));
    return;
  }
  const started = performance.now();
  let failed = false;
  // The webapp panel's hidden subcommands (__panel, __connect ...) are the panel's requests.
  markRequest(res, { surface: parsed.request.subcommand.startsWith('__') ? 'panel' : 'command' });
  const answer = await dispatch(table, parsed.request, withReadView(deps, parsed.request.user_id, admission.view)).catch((err: unknown) => {
    failed = true;
    const failure = failureOf(deps.logger, err, 'command', { subcommand: knownSubcommand(table, parsed.request.subcommand) });
    markRequest(res, { outcome: failure.status < 500 ? 'user_error' : 'failed' });
    return commandAnswer(failure);
  });
  sendJson(res, 200, answer);
  // One line per command, as the Apps host logs each call. Only the subcommand's name: its arguments can hold a client secret.
  deps.logger.info('command', {
    subcommand: knownSubcommand(table, parsed.request.subcommand),
    user_id: parsed.request.user_id,
    team_id: parsed.request.team_id,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    outcome: failed ? 'failed' : 'answered',
  });
}

/** The name as logged: a registered subcommand, '' for none, else 'unknown' (a typo may be a pasted secret). */
const knownSubcommand = (table: SubcommandTable, name: string): string => (name === '' || table.has(name) ? name : 'unknown');

const FORM_LIMITS = { bytes: COMMAND_BODY_LIMIT, fields: 200 };

/** The route's path under the host's mount point (/standalone). */
export const COMMAND_PATH = '/command';

/** POST /standalone/command as a plain node handler (the service mounts it first, the standalone router too). */
export function commandHandler(deps: StandaloneDeps, table: SubcommandTable): (req: IncomingMessage, res: ServerResponse) => void {
  const notFromMattermost = refusedSource(deps, 'command');
  return (req, res) => {
    countResponse(deps.metrics, 'standalone', res, 'command');
    if (notFromMattermost(req, res)) return;
    let body: Awaited<ReturnType<typeof readForm>> | undefined;
    void (async () => {
      body = await readForm(req, FORM_LIMITS);
      if (typeof body === 'string') {
        const tooLarge = body === 'too_large';
        sendJson(res, tooLarge ? 413 : 400, ephemeral(tooLarge ? 'The command request is too large.' : 'The command request could not be read.'));
        return;
      }
      await handleCommand(deps, table, body, res);
    })().catch((err: unknown) => {
      // The token check reads the database: when it is down, say so (200: Mattermost shows the text).
      const answer = routeFailureAnswer(typeof body === 'string' ? undefined : body, failureOf(deps.logger, err, 'command route'));
      markRequest(res, { outcome: 'failed' });
      if (!res.headersSent) sendJson(res, 200, answer);
    });
  };
}

export function commandRoute(deps: StandaloneDeps, table: SubcommandTable): express.Router {
  const router = express.Router();
  router.post(COMMAND_PATH, commandHandler(deps, table));
  return router;
}
