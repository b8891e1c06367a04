/**
 * `/oauth2 provider add|edit|remove|test|register|list` and `/oauth2 report`.
 * Admin rights are re-read from Mattermost (bot token) at each command. With
 * typed arguments (`--preset oidc --id x --issuer … --client_id …`) add, edit
 * and register submit at once; when the values are incomplete, or none were
 * typed, the dialog opens prefilled.
 */
import { addProvider, editProvider, removeProvider } from '../../../core/admin/provider_changes.js';
import { connectionReport, listProviders, registerProvider, testProvider } from '../../../core/admin/provider_reports.js';
import { UserFacingError } from '../../../core/errors.js';
import type { CoreAnswer, CoreRequest } from '../../../core/request.js';
import type { AdminDeps } from '../../../core/admin/provider_secrets.js';
import { NOT_ADMIN } from '../../../core/admin/admin_guard.js';
import { ephemeral, type CommandRequest, type CommandResponse, type Subcommand } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { adminDeps, adminRequest } from './admin_request.js';
import { type AdminDialogMode, openProviderDialog } from './provider_dialogs.js';
import { parseTypedArgs, splitWords } from './typed_args.js';

type Operation = (req: CoreRequest, deps: AdminDeps) => Promise<CoreAnswer>;

const DIRECT: Record<string, Operation> = { test: testProvider, list: listProviders };
const CHANGES: Record<AdminDialogMode, Operation> = { add: addProvider, edit: editProvider, register: registerProvider, remove: removeProvider };

const USAGE =
  'Usage: `/oauth2 provider add|register [--preset oidc --id x --issuer https://… --client_id … --client_secret …]`, `/oauth2 provider edit <id> [--flags]`, `/oauth2 provider remove <id> --confirm`, `/oauth2 provider test [id]`, `/oauth2 provider list`.';

const answer = (a: CoreAnswer): CommandResponse => ephemeral(a.text ?? 'Done.');

/** The dialog when it can open; otherwise the reason in text. */
async function openOrExplain(
  deps: StandaloneDeps,
  request: CommandRequest,
  req: CoreRequest,
  mode: AdminDialogMode,
  reason?: string,
): Promise<CommandResponse> {
  if (!request.trigger_id) return ephemeral(reason ?? USAGE);
  await openProviderDialog(deps, request.trigger_id, req, mode);
  return reason ? ephemeral(`${reason} The dialog opened with what you typed.`) : {};
}

async function change(deps: StandaloneDeps, request: CommandRequest, req: CoreRequest, mode: AdminDialogMode, typed: boolean): Promise<CommandResponse> {
  const direct = mode === 'remove' ? req.values.confirm !== undefined : typed;
  if (!direct) return openOrExplain(deps, request, req, mode);
  try {
    return answer(await CHANGES[mode](req, adminDeps(deps)));
  } catch (err) {
    const incomplete = err instanceof UserFacingError && err.fieldErrors !== undefined && mode !== 'remove';
    if (!incomplete) throw err;
    return openOrExplain(deps, request, req, mode, err.message);
  }
}

async function runProvider(request: CommandRequest, deps: StandaloneDeps): Promise<CommandResponse> {
  const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
  if (!isAdmin) return ephemeral(NOT_ADMIN);
  const [action = '', ...rest] = splitWords(request.text).slice(1);
  const { positional, values, typed } = parseTypedArgs(rest);
  if (positional[0] !== undefined && values.provider === undefined) values.provider = positional[0].toLowerCase();
  const req = adminRequest(deps, request.user_id, isAdmin, values);
  const verb = action.toLowerCase();
  const direct = DIRECT[verb];
  if (direct) return answer(await direct(req, adminDeps(deps)));
  if (verb === 'add' || verb === 'edit' || verb === 'register' || verb === 'remove') return change(deps, request, req, verb, typed);
  return ephemeral(USAGE);
}

/** Core refusals are told as they are; anything else goes to the command route's generic answer. */
const refusalsAsText =
  (run: (request: CommandRequest, deps: StandaloneDeps) => Promise<CommandResponse>) =>
  (request: CommandRequest, deps: StandaloneDeps): Promise<CommandResponse> =>
    run(request, deps).catch((err: unknown) => {
      if (err instanceof UserFacingError) return ephemeral(err.message);
      throw err;
    });

export const providerSubcommand: Subcommand = {
  help: '`/oauth2 provider add|edit|remove|test|register|list`: manage OAuth2 providers (system admins)',
  handler: refusalsAsText(runProvider),
};

export const reportSubcommand: Subcommand = {
  help: '`/oauth2 report`: connected and broken users per provider (system admins)',
  handler: refusalsAsText(async (request, deps) => {
    const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
    return answer(await connectionReport(adminRequest(deps, request.user_id, isAdmin, {})));
  }),
};
