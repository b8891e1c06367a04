/**
 * The standalone host's side of the core's admin operations: the CoreRequest
 * for a user whose admin rights the host has just re-read from Mattermost,
 * its links (the exact redirect URI under /standalone/complete, the bot), and
 * the core's failures as command or dialog answers.
 */
import type { AdminDeps } from '../../../core/admin/provider_secrets.js';
import type { CoreRequest, CoreValues, HostLinks } from '../../../core/request.js';
import type { StandaloneDeps } from '../deps.js';
import { completeUrl } from '../providers.js';
import { STANDALONE_SEAL_SCOPE } from '../service/sealer.js';

/** The seal scope of this host's values (the Apps host's is its App id); one definition, the service's sealer's. */
export { STANDALONE_SEAL_SCOPE };

function standaloneLinks(deps: StandaloneDeps): HostLinks {
  return {
    connectHint: async (id) => `\`/oauth2 connect ${id}\``,
    redirectUri: (id) => completeUrl(deps.settings.rootUrl, id),
    notify: (userId, message) => deps.bot.dm(userId, message).catch((err: unknown) => deps.logger.warn('bot message failed', { error: err })),
    usernames: async (ids) => {
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
    sealScope: STANDALONE_SEAL_SCOPE,
  };
}

/** isAdmin: what Mattermost answered just now (bot.isSystemAdmin), never what a request claims. */
export function adminRequest(deps: StandaloneDeps, userId: string, isAdmin: boolean, values: CoreValues): CoreRequest {
  return { user: { id: userId, isAdmin }, values, providers: deps.providers, connections: deps.connections, host: standaloneLinks(deps) };
}

/** The core seals client secrets with the binding the rest of this host opens them with. */
export const adminDeps = (deps: StandaloneDeps): AdminDeps => ({
  engine: deps.engine,
  sealer: deps.sealer,
  logger: deps.logger,
  now: deps.now,
  clientSecretBinding: deps.clientSecretBinding,
});
