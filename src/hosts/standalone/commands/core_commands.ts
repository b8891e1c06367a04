/**
 * The core's user operations as standalone subcommands: status, whoami,
 * disconnect, providers, help. The command token was checked, so user_id is
 * Mattermost's word; admin rights are read from Mattermost (bot) only where
 * an operation shows them (help). The webapp panel's hidden subcommands
 * (panel/panel_commands.ts) run the same operations.
 */
import { disconnect } from '../../../core/disconnect.js';
import { UserFacingError } from '../../../core/errors.js';
import { help, providersList, STANDALONE_WORDING } from '../../../core/info.js';
import type { CoreOperation } from '../../../core/request.js';
import { status } from '../../../core/status.js';
import { whoami } from '../../../core/whoami.js';
import { standaloneCoreRequest } from '../signin/core_request.js';
import { registerSubcommand } from './table.js';
import { ephemeral, type CommandRequest, type Subcommand, type SubcommandTable } from './types.js';

interface CoreSubcommand {
  help: string;
  operation: CoreOperation;
  /** Asks Mattermost whether the user is a system admin (only help needs it). */
  needsAdmin?: boolean;
}

function asSubcommand(spec: CoreSubcommand): Subcommand {
  return {
    help: spec.help,
    handler: async (request: CommandRequest, deps) => {
      const isAdmin = spec.needsAdmin ? await deps.bot.isSystemAdmin(request.user_id) : false;
      const values = request.args[0] === undefined ? {} : { provider: request.args[0] };
      try {
        const answer = await spec.operation(standaloneCoreRequest(deps, request.user_id, isAdmin, values), deps);
        return ephemeral(answer.text ?? 'Done.');
      } catch (err) {
        if (err instanceof UserFacingError) return ephemeral(err.message);
        throw err;
      }
    },
  };
}

/** Registers status, whoami, disconnect, providers and help (replacing the table's own help). */
export function registerUserSubcommands(table: SubcommandTable): void {
  const specs: Record<string, CoreSubcommand> = {
    status: { help: '`/oauth2 status`: your connected accounts', operation: status },
    whoami: { help: '`/oauth2 whoami [provider]`: who you are at a provider', operation: whoami },
    disconnect: { help: "`/oauth2 disconnect [provider]`: disconnect and revoke the service's access", operation: disconnect },
    providers: { help: '`/oauth2 providers`: the registered providers', operation: providersList },
    help: { help: '`/oauth2 help`: this list', operation: help(STANDALONE_WORDING), needsAdmin: true },
  };
  for (const [name, spec] of Object.entries(specs)) registerSubcommand(table, name, asSubcommand(spec));
}
