/**
 * `/oauth2 provider add|edit|remove|test|register|list` and `/oauth2 report`.
 * Admin rights are re-read from Mattermost (bot token) at each command.
 * Nothing that changes a provider runs from the command's text: that text
 * goes to the URL of the team's command, which a team admin can point at a
 * server of their own. So add, edit, register and remove open their dialog
 * (it reaches only the typing user's client), prefilled with typed
 * `--name value` arguments, and nothing changes until it is submitted; a
 * client secret in the text is refused before anything else happens.
 */
import { connectionReport, listProviders, testProvider } from '../../../core/admin/provider_reports.js';
import { UserFacingError } from '../../../core/errors.js';
import type { CoreAnswer, CoreRequest, CoreValues } from '../../../core/request.js';
import type { AdminDeps } from '../../../core/admin/provider_secrets.js';
import { NOT_ADMIN } from '../../../core/admin/admin_guard.js';
import { ephemeral, type CommandRequest, type CommandResponse, type Subcommand } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { adminRequest } from './admin_request.js';
import { type AdminDialogMode, openProviderDialog } from './provider_dialogs.js';
import { namesSecret, parseTypedArgs, splitWords } from './typed_args.js';

type Operation = (req: CoreRequest, deps: AdminDeps) => Promise<CoreAnswer>;

const DIRECT: Record<string, Operation> = { test: testProvider, list: listProviders };
const DIALOG_MODES: AdminDialogMode[] = ['add', 'edit', 'register', 'remove'];

const USAGE =
  'Usage: `/oauth2 provider add|register [--preset oidc --id x --issuer https://… --client_id …]`, `/oauth2 provider edit <id> [--display_name …]`, `/oauth2 provider remove <id>` (each opens its dialog, prefilled with what you typed), `/oauth2 provider test [id]`, `/oauth2 provider list`.';

export const SECRET_IN_TEXT =
  "A client secret cannot be typed in the command: the command's text goes to a URL that a team admin can change, so a secret typed there is not private. Nothing was saved and no dialog opened. Run the command without it and type the secret in the dialog; if it was a real secret, consider replacing it at the provider.";

export const NO_DIALOG =
  'Providers change only through their dialog, and no dialog can open for this request (it carries no trigger id): run the command from the message box. Nothing was changed.';

const answer = (a: CoreAnswer): CommandResponse => ephemeral(a.text ?? 'Done.');

/** What may prefill the mode's dialog: an edited provider keeps its type and short name; a removal is confirmed in the dialog only. */
function prefillValues(mode: AdminDialogMode, values: CoreValues): CoreValues {
  if (mode === 'remove') return values.provider === undefined ? {} : { provider: values.provider };
  if (mode !== 'edit') return values;
  const { preset: _preset, id: _id, ...rest } = values;
  return rest;
}

const flagList = (names: string[]): string =>
  names
    .slice(0, 10)
    .map((n) => `\`--${n.replace(/`/g, '').slice(0, 40)}\``)
    .join(', ');

async function openChangeDialog(deps: StandaloneDeps, request: CommandRequest, req: CoreRequest, mode: AdminDialogMode): Promise<CommandResponse> {
  if (!request.trigger_id) return ephemeral(NO_DIALOG);
  const prefill = prefillValues(mode, req.values);
  const shown = await openProviderDialog(deps, request.trigger_id, { ...req, values: prefill }, mode);
  const typed = Object.keys(req.values).filter((name) => name !== 'provider');
  if (typed.length === 0) return {};
  const leftOut = typed.filter((name) => !(name in prefill && shown.includes(name)));
  const note = leftOut.length > 0 ? ` Left out (not a field of this dialog, or not one that can change here): ${flagList(leftOut)}.` : '';
  return ephemeral(`The dialog opened with what you typed; nothing changes until you submit it.${note}`);
}

async function runProvider(request: CommandRequest, deps: StandaloneDeps): Promise<CommandResponse> {
  const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
  if (!isAdmin) return ephemeral(NOT_ADMIN);
  const [action = '', ...rest] = splitWords(request.text).slice(1);
  if (namesSecret(rest)) return ephemeral(SECRET_IN_TEXT);
  const { positional, values } = parseTypedArgs(rest);
  if (positional[0] !== undefined && values.provider === undefined) values.provider = positional[0].toLowerCase();
  const req = adminRequest(deps, request.user_id, isAdmin, values);
  const verb = action.toLowerCase();
  const direct = DIRECT[verb];
  if (direct) return answer(await direct(req, deps));
  const mode = DIALOG_MODES.find((m) => m === verb);
  return mode ? openChangeDialog(deps, request, req, mode) : ephemeral(USAGE);
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
  help: '`/oauth2 provider add|edit|remove|test|register|list`: manage OAuth2 providers (system admins; changes go through a dialog)',
  handler: refusalsAsText(runProvider),
};

export const reportSubcommand: Subcommand = {
  help: '`/oauth2 report`: connected and broken users per provider (system admins)',
  handler: refusalsAsText(async (request, deps) => {
    const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
    return answer(await connectionReport(adminRequest(deps, request.user_id, isAdmin, {})));
  }),
};
