/**
 * The standalone host's HTTP side, mounted under /standalone:
 * POST /command, POST /dialog, GET /connect, GET /signin/callback,
 * GET /complete/:provider. Mount it before the Apps host's POST handlers
 * (they answer every POST with the Apps JWT check).
 */
import express from 'express';
import { registerAdminCommands } from '../admin/register.js';
import { registerUserSubcommands } from '../commands/core_commands.js';
import { createSubcommandTable, registerSubcommand } from '../commands/table.js';
import type { SubcommandTable } from '../commands/types.js';
import type { StandaloneDeps } from '../deps.js';
import { CHOOSE_PROVIDER, chooseProvider } from '../dialogs/choose_provider.js';
import { dialogRoute } from '../dialogs/dialog_route.js';
import { panelSubcommands } from '../panel/panel_commands.js';
import type { DialogTable } from '../dialogs/types.js';
import { browserRoutes } from './browser_routes.js';
import { commandRoute } from './command_route.js';

export interface StandaloneTables {
  subcommands: SubcommandTable;
  dialogs: DialogTable;
}

/** The tables with help, connect (and its dialog) and the admins' provider commands and dialogs; add the core's others to them. */
export function createStandaloneTables(): StandaloneTables {
  const tables: StandaloneTables = { subcommands: createSubcommandTable(), dialogs: new Map([[CHOOSE_PROVIDER, chooseProvider]]) };
  registerAdminCommands(tables);
  return tables;
}

/** Every table the service serves: the above plus the core's user subcommands and the webapp panel's hidden ones. */
export function createServiceTables(): StandaloneTables {
  const tables = createStandaloneTables();
  registerUserSubcommands(tables.subcommands);
  for (const [name, subcommand] of Object.entries(panelSubcommands)) registerSubcommand(tables.subcommands, name, subcommand);
  return tables;
}

/** app.use('/standalone', createStandaloneRouter(deps)) */
export function createStandaloneRouter(deps: StandaloneDeps, tables: StandaloneTables = createStandaloneTables()): express.Router {
  const router = express.Router();
  router.use(commandRoute(deps, tables.subcommands));
  router.use(dialogRoute(deps, tables.dialogs));
  router.use(browserRoutes(deps));
  return router;
}
