/**
 * A user command of the core's list as a standalone subcommand: its core
 * operation for the user Mattermost's command token vouched for, the
 * provider the first argument names, the answer as an ephemeral text. Admin
 * rights matter only where the answer shows them (help lists the admins'
 * commands to them): Mattermost's answer kept a minute (admin/admin_view.ts).
 */
import type { UserCommand } from '../../../core/commands.js';
import { standaloneCoreRequest } from '../signin/core_request.js';
import { ephemeral, type Subcommand } from './types.js';

export function coreSubcommand(spec: UserCommand): Subcommand {
  const operation = spec.operation;
  if (!operation) throw new Error(`/oauth2 ${spec.name} has no core operation: the standalone host must name its own`);
  return {
    handler: async (request, deps) => {
      const isAdmin = spec.showsAdminCommands ? await deps.adminView.shownAsAdmin(request.user_id) : false;
      const values = spec.provider && request.args[0] !== undefined ? { provider: request.args[0] } : {};
      const answer = await operation(standaloneCoreRequest(deps, request.user_id, isAdmin, values), deps);
      return ephemeral(answer.text ?? 'Done.');
    },
    readsUserView: spec.readsUserView === true,
  };
}
