/**
 * The standalone host's HTTP side, mounted under /standalone:
 * POST /command, POST /dialog, GET /connect, GET /signin/callback,
 * GET /complete/:provider. Mount it before the Apps host's POST handlers
 * (they answer every POST with the Apps JWT check).
 *
 * Its tables are derived from the core's command list: one subcommand per
 * first word (a group's actions under it), the dialogs the admin commands
 * open, and the webapp panel's hidden subcommands. A command runs its core
 * operation; only what this host does its own way is named here: the connect
 * link (Sign in with Mattermost, then the provider), and the provider group,
 * whose changes go through dialogs.
 */
import express from 'express';
import { COMMANDS, commandWords, type AdminCommand, type CommandSpec, type UserCommand } from '../../../core/commands.js';
import { clientDialogPurposes } from '../admin/client_dialogs.js';
import { clientSubcommand } from '../admin/client_command.js';
import { grantsSubcommand } from '../commands/grants_command.js';
import { adminSubcommand, groupSubcommand } from '../admin/provider_command.js';
import { providerDialogPurposes } from '../admin/provider_dialogs.js';
import { connectSubcommand } from '../commands/connect.js';
import { coreSubcommand } from '../commands/core_commands.js';
import { registerSubcommand } from '../commands/table.js';
import type { Subcommand, SubcommandTable } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { CHOOSE_PROVIDER, chooseProvider } from '../dialogs/choose_provider.js';
import { dialogRoute } from '../dialogs/dialog_route.js';
import type { DialogTable } from '../dialogs/types.js';
import { panelSubcommands } from '../panel/panel_commands.js';
import { browserRoutes } from './browser_routes.js';
import { commandRoute } from './command_route.js';
import { consentActionRoute } from '../token_api/consent_action.js';
import { countRequests } from '../../../metrics/request_counter.js';
import type { Surface } from '../../../metrics/service_metrics.js';

/** The surface a path serves; the command route marks the panel's hidden subcommands itself. */
const surfaceOfPath = (req: express.Request): Surface => (req.path === '/command' ? 'command' : req.path === '/dialog' ? 'dialog' : 'page');

export interface StandaloneTables {
  subcommands: SubcommandTable;
  dialogs: DialogTable;
}

/** What this host does its own way, by first word. */
const OWN: Readonly<Record<string, (specs: readonly CommandSpec[]) => Subcommand>> = {
  connect: () => connectSubcommand,
  provider: (specs) => groupSubcommand(specs.filter(isAdminCommand)),
  migrate: (specs) => groupSubcommand(specs.filter(isAdminCommand)),
  client: (specs) => clientSubcommand(specs.filter(isAdminCommand)),
  grants: (specs) => grantsSubcommand(specs.filter((s): s is UserCommand => !s.adminOnly)),
};

function isAdminCommand(spec: CommandSpec): spec is AdminCommand {
  return spec.adminOnly;
}

const SPECS: readonly CommandSpec[] = COMMANDS;

/** The core's commands by first word, in the list's order. */
function byFirstWord(): Map<string, CommandSpec[]> {
  const words = new Map<string, CommandSpec[]>();
  for (const spec of SPECS) {
    const word = commandWords(spec)[0] ?? spec.name;
    words.set(word, [...(words.get(word) ?? []), spec]);
  }
  return words;
}

function subcommandOf(word: string, specs: readonly CommandSpec[]): Subcommand {
  const own = OWN[word];
  if (own) return own(specs);
  const [spec, ...more] = specs;
  if (!spec || more.length > 0 || spec.name !== word) throw new Error(`the group "${word}" has no subcommand of the standalone host`);
  return spec.adminOnly ? adminSubcommand(spec) : coreSubcommand(spec);
}

/** Every table the service serves. */
export function createServiceTables(): StandaloneTables {
  const subcommands: SubcommandTable = new Map();
  for (const [word, specs] of byFirstWord()) registerSubcommand(subcommands, word, subcommandOf(word, specs));
  for (const [name, subcommand] of Object.entries(panelSubcommands)) registerSubcommand(subcommands, name, subcommand);
  const dialogs: DialogTable = new Map([[CHOOSE_PROVIDER, chooseProvider], ...providerDialogPurposes(SPECS.filter(isAdminCommand)), ...clientDialogPurposes()]);
  return { subcommands, dialogs };
}

/** app.use('/standalone', createStandaloneRouter(deps, createServiceTables())) */
export function createStandaloneRouter(deps: StandaloneDeps, tables: StandaloneTables): express.Router {
  const router = express.Router();
  router.use(countRequests(deps.metrics, 'standalone', surfaceOfPath));
  router.use(commandRoute(deps, tables.subcommands));
  router.use(dialogRoute(deps, tables.dialogs));
  router.use(browserRoutes(deps));
  if (deps.tokenApi) router.use(consentActionRoute(deps, deps.tokenApi));
  return router;
}
