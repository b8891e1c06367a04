/** Adds the admin subcommands and dialogs to the standalone host's tables (before the router is made). */
import { registerSubcommand } from '../commands/table.js';
import type { SubcommandTable } from '../commands/types.js';
import type { DialogTable } from '../dialogs/types.js';
import { providerSubcommand, reportSubcommand } from './provider_command.js';
import { providerDialogPurposes } from './provider_dialogs.js';

export function registerAdminCommands(tables: { subcommands: SubcommandTable; dialogs: DialogTable }): void {
  registerSubcommand(tables.subcommands, 'provider', providerSubcommand);
  registerSubcommand(tables.subcommands, 'report', reportSubcommand);
  for (const [purpose, handler] of providerDialogPurposes()) tables.dialogs.set(purpose, handler);
}
