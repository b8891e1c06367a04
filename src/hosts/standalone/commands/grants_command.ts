/**
 * `/oauth2 grants list` and `/oauth2 grants revoke <client> [provider]`: the
 * user's own grants to token API clients, the core's operations for the user
 * Mattermost's command token vouched for.
 */
import { commandWords, type UserCommand } from '../../../core/commands.js';
import { commandUsage } from '../../../core/info.js';
import { standaloneCoreRequest } from '../signin/core_request.js';
import { ephemeral, type Subcommand } from './types.js';

export function grantsSubcommand(actions: readonly UserCommand[]): Subcommand {
  return {
    handler: async (request, deps) => {
      const [action = 'list', client, provider] = request.args.map((a) => a.toLowerCase());
      const spec = actions.find((s) => commandWords(s)[1] === action);
      if (!spec?.operation) return ephemeral(`Usage: ${actions.map((s) => `\`${commandUsage(s)}\``).join(', ')}.`);
      const values = { ...(client !== undefined && { client }), ...(provider !== undefined && { provider }) };
      const answer = await spec.operation(standaloneCoreRequest(deps, request.user_id, false, values), deps);
      return ephemeral(answer.text ?? 'Done.');
    },
  };
}
