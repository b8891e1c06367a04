/**
 * The subcommand table and dispatch. Here: help and connect; http/router.ts
 * adds the core's (status, whoami, disconnect, providers, provider …, report)
 * and the panel's with `registerSubcommand` when it builds the tables.
 */
import type { StandaloneDeps } from '../deps.js';
import { connectSubcommand } from './connect.js';
import { ephemeral, type CommandRequest, type CommandResponse, type Subcommand, type SubcommandTable } from './types.js';

function helpText(table: SubcommandTable): string {
  const lines = [...table.values()].filter((s) => !s.hidden).map((s) => `- ${s.help}`);
  return ['**OAuth2 Connect**: connect your Mattermost account to OAuth2 providers.', ...lines].join('\n');
}

const helpSubcommand = (table: SubcommandTable): Subcommand => ({
  help: '`/oauth2 help`: this list',
  handler: async () => ephemeral(helpText(table)),
});

/** A table with help and connect (the core's user subcommands and the panel's are added by registerUserSubcommands). */
export function createSubcommandTable(): SubcommandTable {
  const table: SubcommandTable = new Map();
  table.set('connect', connectSubcommand);
  table.set('help', helpSubcommand(table));
  return table;
}

/** Adds (or replaces) a subcommand; names are lower case words. */
export function registerSubcommand(table: SubcommandTable, name: string, subcommand: Subcommand): void {
  if (!/^[a-z][a-z-]{0,31}$/.test(name) && !(subcommand.hidden && /^__[a-z]{1,30}$/.test(name))) throw new Error(`invalid subcommand name "${name}"`);
  table.set(name, subcommand);
}

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
