/**
 * The core's user operations as standalone subcommands: status, whoami,
 * disconnect, providers, help. The command token was checked, so user_id is
 * Mattermost's word; admin rights are read from Mattermost (bot) only where
 * an operation shows them (help).
 */
import { disconnect } from '../../../core/disconnect.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import { help, providersList, STANDALONE_WORDING } from '../../../core/info.js';
import type { CoreDeps, CoreOperation, CoreRequest, HostLinks } from '../../../core/request.js';
import { status } from '../../../core/status.js';
import { whoami } from '../../../core/whoami.js';
import type { StandaloneDeps } from '../deps.js';
import { completeUrl } from '../providers.js';
import { createConnectLink } from '../signin/links.js';
import { registerSubcommand } from './table.js';
import { ephemeral, type CommandRequest, type Subcommand, type SubcommandTable } from './types.js';

import { STANDALONE_SEAL_SCOPE } from '../service/sealer.js';
export { STANDALONE_SEAL_SCOPE, standaloneClientSecretBinding } from '../service/sealer.js';

export function standaloneHostLinks(deps: StandaloneDeps, userId: string): HostLinks {
  return {
    sealScope: STANDALONE_SEAL_SCOPE,
    async connectHint(providerId) {
      const stored = await deps.providers.get(providerId);
      const link = await createConnectLink(deps, userId, providerId);
      return `[Reconnect your ${md(stored?.display_name ?? providerId)} account](${link})`;
    },
    redirectUri: (providerId) => completeUrl(deps.settings.rootUrl, providerId),
    notify: (to, message) => deps.bot.dm(to, message).catch((err: unknown) => deps.logger.warn('direct message failed', { user_id: to, error: err })),
    async usernames(ids) {
      const found = await Promise.all(
        ids.map((id) =>
          deps.bot.getUser(id).then(
            (u) => [id, u.username] as const,
            () => undefined,
          ),
        ),
      );
      return new Map(found.filter((e): e is readonly [string, string] => e !== undefined));
    },
  };
}

export function standaloneCoreRequest(deps: StandaloneDeps, userId: string, isAdmin: boolean, values: CoreRequest['values']): CoreRequest {
  return { user: { id: userId, isAdmin }, values, providers: deps.providers, connections: deps.connections, host: standaloneHostLinks(deps, userId) };
}

export const standaloneCoreDeps = (deps: StandaloneDeps, config: CoreDeps['config']): CoreDeps => ({
  config,
  logger: deps.logger,
  engine: deps.engine,
  sealer: deps.sealer,
  now: deps.now,
});

interface CoreSubcommand {
  help: string;
  operation: CoreOperation;
  /** Asks Mattermost whether the user is a system admin (only help needs it). */
  needsAdmin?: boolean;
}

function asSubcommand(spec: CoreSubcommand, config: CoreDeps['config']): Subcommand {
  return {
    help: spec.help,
    handler: async (request: CommandRequest, deps) => {
      const isAdmin = spec.needsAdmin ? await deps.bot.isSystemAdmin(request.user_id) : false;
      const values = request.args[0] === undefined ? {} : { provider: request.args[0] };
      try {
        const answer = await spec.operation(standaloneCoreRequest(deps, request.user_id, isAdmin, values), standaloneCoreDeps(deps, config));
        return ephemeral(answer.text ?? 'Done.');
      } catch (err) {
        if (err instanceof UserFacingError) return ephemeral(err.message);
        throw err;
      }
    },
  };
}

/** Registers status, whoami, disconnect, providers and help (replacing the table's own help). */
export function registerUserSubcommands(table: SubcommandTable, config: CoreDeps['config']): void {
  const specs: Record<string, CoreSubcommand> = {
    status: { help: '`/oauth2 status`: your connected accounts', operation: status },
    whoami: { help: '`/oauth2 whoami [provider]`: who you are at a provider', operation: whoami },
    disconnect: { help: "`/oauth2 disconnect [provider]`: disconnect and revoke the service's access", operation: disconnect },
    providers: { help: '`/oauth2 providers`: the registered providers', operation: providersList },
    help: { help: '`/oauth2 help`: this list', operation: help(STANDALONE_WORDING), needsAdmin: true },
  };
  for (const [name, spec] of Object.entries(specs)) registerSubcommand(table, name, asSubcommand(spec, config));
}
