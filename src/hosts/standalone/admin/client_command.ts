/**
 * `/oauth2 client <action>` on the standalone host, for system admins (the
 * rights re-read from Mattermost at each command). What changes a client
 * (add, rotate, remove) only opens its dialog: the command's text reaches a
 * URL a team admin can change, and so can its answer, so neither a change nor
 * a credential travels that way. list and grants answer at once.
 */
import { NOT_ADMIN } from '../../../core/admin/admin_guard.js';
import { commandWords, type AdminCommand } from '../../../core/commands.js';
import { commandUsage } from '../../../core/info.js';
import { CREDENTIAL_SHAPE } from '../../../core/token_api/credential.js';
import { ephemeral, type CommandRequest, type CommandResponse, type Subcommand } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { adminRequest } from './admin_request.js';
import { openClientDialog } from './client_dialogs.js';
import { splitWords } from './typed_args.js';

export const CREDENTIAL_IN_TEXT =
  "A client credential cannot be typed in the command: the command's text goes to a URL that a team admin can change. Nothing was done. If it was a real credential, rotate it with `/oauth2 client rotate <client>`.";

export const NO_CLIENT_DIALOG =
  'Clients change only through their dialog, and no dialog can open for this request (it carries no trigger id): run the command from the message box. Nothing was changed.';

const DIALOG_ACTIONS = ['add', 'rotate', 'remove'] as const;
type DialogAction = (typeof DIALOG_ACTIONS)[number];
const opensDialog = (action: string): action is DialogAction => (DIALOG_ACTIONS as readonly string[]).includes(action);

async function run(actions: readonly AdminCommand[], request: CommandRequest, deps: StandaloneDeps): Promise<CommandResponse> {
  const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
  if (!isAdmin) return ephemeral(NOT_ADMIN);
  const [action = '', first, ...rest] = splitWords(request.text).slice(1);
  if ([first, ...rest].some((w) => w !== undefined && CREDENTIAL_SHAPE.test(w))) return ephemeral(CREDENTIAL_IN_TEXT);
  const spec = actions.find((s) => commandWords(s)[1] === action.toLowerCase());
  if (!spec) return ephemeral(`Usage: ${actions.map((s) => `\`${commandUsage(s)}\``).join(', ')}.`);
  const word = commandWords(spec)[1] ?? '';
  const clientId = (first ?? '').toLowerCase();
  const values = word === 'grants' ? { user: first ?? '' } : { client: clientId };
  const req = adminRequest(deps, request.user_id, isAdmin, values);
  if (!opensDialog(word)) return ephemeral((await spec.operation(req, deps)).text ?? 'Done.');
  if (!request.trigger_id) return ephemeral(NO_CLIENT_DIALOG);
  // An unknown client is answered by the operation (the list of registered ones), no dialog opening for it.
  if (word !== 'add' && !(await deps.tokenApi?.clients.get(clientId))) return ephemeral((await spec.operation(req, deps)).text ?? '');
  await openClientDialog(deps, request.trigger_id, req, word, word === 'add' ? '' : clientId);
  return {};
}

/** The `client` group's actions under one subcommand. */
export const clientSubcommand = (actions: readonly AdminCommand[]): Subcommand => ({ handler: (request, deps) => run(actions, request, deps) });
