/**
 * The `/oauth2` commands' call routes, derived from the core's command list:
 * at the path its binding calls, the core operation behind its guard (system
 * admins, as Mattermost says, for an admin command), its answer rendered as a
 * call response. A command that opens a form first has the form's route too.
 */
import { COMMANDS, type CommandName, type CommandSpec } from '../../../core/commands.js';
import type { CoreOperation } from '../../../core/request.js';
import { commandPath, formPath } from '../protocol/command_bindings.js';
import { adminOperation, formHandler } from './admin/provider_handlers.js';
import { connect } from './connect.js';
import { coreRequest, render } from './core_request.js';
import type { Handler } from './deps.js';
import { requireAdmin, requireUser } from './guards.js';

/** What only this host does: the connect link is the Apps plugin's connect_url. */
const OWN: Partial<Record<CommandName, Handler>> = { connect };

const userOperation =
  (run: CoreOperation): Handler =>
  async (req, deps) =>
    render(await run(coreRequest(req, deps), deps));

function routesOf(spec: CommandSpec): [string, Handler][] {
  const path = commandPath(spec);
  if (spec.adminOnly) {
    const form: [string, Handler][] = spec.form ? [[formPath(spec), requireAdmin(formHandler(spec.form, path, formPath(spec)))]] : [];
    return [[path, requireAdmin(adminOperation(spec.operation))], ...form];
  }
  const handler = OWN[spec.name as CommandName] ?? (spec.operation && userOperation(spec.operation));
  if (!handler) throw new Error(`/oauth2 ${spec.name} has no core operation and no handler of the Apps host`);
  return [[path, requireUser(handler)]];
}

export const commandRoutes = (): [string, Handler][] => COMMANDS.flatMap(routesOf);
