/** The subcommand table's rules (names, dispatch); http/router.ts fills it from the core's command list. */
import type { StandaloneDeps } from '../deps.js';
import { ephemeral, type CommandRequest, type CommandResponse, type Subcommand, type SubcommandTable } from './types.js';

/** Adds (or replaces) a subcommand; names are lower case words, the panel's hidden ones `__word`. */
export function registerSubcommand(table: SubcommandTable, name: string, subcommand: Subcommand): void {
  if (!/^[a-z][a-z-]{0,31}$/.test(name) && !(subcommand.hidden && /^__[a-z]{1,30}$/.test(name))) throw new Error(`invalid subcommand name "${name}"`);
  table.set(name, subcommand);
}

/** No subcommand is help; an unknown one is named (bounded, without backticks) with the known ones. */
export async function dispatch(table: SubcommandTable, request: CommandRequest, deps: StandaloneDeps): Promise<CommandResponse> {
  const name = request.subcommand || 'help';
  const subcommand = table.get(name);
  if (!subcommand) {
    const known = [...table.entries()]
      .filter(([, s]) => !s.hidden)
      .map(([k]) => `\`${k}\``)
      .join(', ');
    return ephemeral(`Unknown subcommand \`${name.slice(0, 32).replace(/`/g, '')}\`. Available: ${known}. Try \`/oauth2 help\`.`);
  }
  return subcommand.handler(request, deps);
}
