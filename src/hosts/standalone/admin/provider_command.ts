/**
 * The admin commands of the core's list as standalone subcommands: `/oauth2
 * provider <action>` (the group's actions) and `/oauth2 report`. Admin rights
 * are re-read from Mattermost (bot token) at each command. Nothing that
 * changes a provider runs from the command's text: that text goes to the URL
 * of the team's command, which a team admin can point at a server of their
 * own. So the actions that change one (provider_forms.ts' opensDialog) open
 * their dialog (it reaches only the typing user's client), prefilled with
 * typed `--name value` arguments, and nothing changes until it is submitted;
 * a client secret in the text is refused before anything else happens.
 */
import { NOT_ADMIN } from '../../../core/admin/admin_guard.js';
import { commandWords, type AdminCommand } from '../../../core/commands.js';
import { commandUsage } from '../../../core/info.js';
import type { CoreAnswer, CoreRequest, CoreValues } from '../../../core/request.js';
import { ephemeral, type CommandRequest, type CommandResponse, type Subcommand } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { adminRequest } from './admin_request.js';
import { openProviderDialog } from './provider_dialogs.js';
import { opensDialog } from './provider_forms.js';
import { namesSecret, parseTypedArgs, splitWords } from './typed_args.js';

export const SECRET_IN_TEXT =
  "A client secret cannot be typed in the command: the command's text goes to a URL that a team admin can change, so a secret typed there is not private. Nothing was saved and no dialog opened. Run the command without it and type the secret in the dialog; if it was a real secret, consider replacing it at the provider.";

export const NO_DIALOG =
  'Providers change only through their dialog, and no dialog can open for this request (it carries no trigger id): run the command from the message box. Nothing was changed.';

const answer = (a: CoreAnswer): CommandResponse => ephemeral(a.text ?? 'Done.');

const DIALOG_NOTE =
  ' Those that change a provider open its dialog, prefilled with what you type, e.g. `/oauth2 provider add --preset oidc --id corp --issuer https://…`.';

/** The group's commands; the note on dialogs only for a group that has some (`provider`, not `migrate`). */
const usage = (actions: readonly AdminCommand[]): string =>
  `Usage: ${actions.map((spec) => `\`${commandUsage(spec)}\``).join(', ')}.${actions.some(opensDialog) ? DIALOG_NOTE : ''}`;

/** What may prefill the dialog: a confirmation only names the provider; a stored provider keeps its type and short name. */
function prefillValues(spec: AdminCommand, values: CoreValues): CoreValues {
  if (spec.confirm !== undefined) return values.provider === undefined ? {} : { provider: values.provider };
  if (!spec.provider) return values;
  const { preset: _preset, id: _id, ...rest } = values;
  return rest;
}

const flagList = (names: string[]): string =>
  names
    .slice(0, 10)
    .map((n) => `\`--${n.replace(/`/g, '').slice(0, 40)}\``)
    .join(', ');

async function openChangeDialog(deps: StandaloneDeps, request: CommandRequest, req: CoreRequest, spec: AdminCommand): Promise<CommandResponse> {
  if (!request.trigger_id) return ephemeral(NO_DIALOG);
  const prefill = prefillValues(spec, req.values);
  const shown = await openProviderDialog(deps, request.trigger_id, { ...req, values: prefill }, spec);
  const typed = Object.keys(req.values).filter((name) => name !== 'provider');
  if (typed.length === 0) return {};
  const leftOut = typed.filter((name) => !(name in prefill && shown.includes(name)));
  const note = leftOut.length > 0 ? ` Left out (not a field of this dialog, or not one that can change here): ${flagList(leftOut)}.` : '';
  return ephemeral(`The dialog opened with what you typed; nothing changes until you submit it.${note}`);
}

async function runAction(actions: readonly AdminCommand[], request: CommandRequest, deps: StandaloneDeps): Promise<CommandResponse> {
  const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
  if (!isAdmin) return ephemeral(NOT_ADMIN);
  const [action = '', ...rest] = splitWords(request.text).slice(1);
  if (namesSecret(rest)) return ephemeral(SECRET_IN_TEXT);
  const { positional, values } = parseTypedArgs(rest);
  if (positional[0] !== undefined && values.provider === undefined) values.provider = positional[0].toLowerCase();
  const req = adminRequest(deps, request.user_id, isAdmin, values);
  const spec = actions.find((s) => commandWords(s)[1] === action.toLowerCase());
  if (!spec) return ephemeral(usage(actions));
  return opensDialog(spec) ? openChangeDialog(deps, request, req, spec) : answer(await spec.operation(req, deps));
}

/** A group of admin commands (`provider add`, `provider list` …) under its first word. */
export const groupSubcommand = (actions: readonly AdminCommand[]): Subcommand => ({ handler: (request, deps) => runAction(actions, request, deps) });

/** A one-word command's values: its provider (the first word), or its typed options (`--limit 5`), only those it declares. */
function oneWordValues(spec: AdminCommand, args: string[]): CoreValues {
  if (spec.provider) return args[0] !== undefined ? { provider: args[0] } : {};
  const options = spec.options;
  if (!options) return {};
  const { values } = parseTypedArgs(args);
  return Object.fromEntries(Object.entries(values).filter(([name]) => Object.hasOwn(options, name)));
}

/** An admin command of one word (`report`, `audit`): its operation for the user, whose admin rights Mattermost confirms; the core refuses others. */
export const adminSubcommand = (spec: AdminCommand): Subcommand => ({
  handler: async (request, deps) => {
    const isAdmin = await deps.bot.isSystemAdmin(request.user_id);
    return answer(await spec.operation(adminRequest(deps, request.user_id, isAdmin, oneWordValues(spec, request.args)), deps));
  },
});
