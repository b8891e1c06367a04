/**
 * The core's request as the standalone host builds it: the user as
 * Mattermost's command token vouched for, and this host's links (its one-time
 * connect links, its redirect URIs, its bot).
 */
import { md } from '../../../core/format.js';
import { STANDALONE_WORDING } from '../../../core/info.js';
import type { CoreRequest, HostLinks } from '../../../core/request.js';
import type { StandaloneDeps } from '../deps.js';
import { completeUrl } from '../providers.js';
import { createConnectLink } from './links.js';

export function standaloneHostLinks(deps: StandaloneDeps, userId: string): HostLinks {
  return {
    helpWording: STANDALONE_WORDING,
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
    // Mattermost's 404 means no such user; any other failure is the service's and is thrown as such.
    userIdOf: (username) =>
      deps.bot.getUserByUsername(username).then(
        (u) => u.id,
        (err: unknown) => {
          if ((err as { status_code?: number }).status_code === 404) return undefined;
          throw err;
        },
      ),
  };
}

/** Where a one-time link would not do (it expires, or it is not for this reader): the command that makes one. */
export const commandConnectHint = async (providerId: string): Promise<string> => `\`/oauth2 connect ${providerId}\``;

/**
 * The user's request when the service acts for them outside a call of theirs (the token API, the keep-alive
 * pass): what they are told to do is the command, since a one-time link would have expired when they read it.
 */
export function backgroundRequest(deps: StandaloneDeps, userId: string): CoreRequest {
  const host = { ...standaloneHostLinks(deps, userId), connectHint: commandConnectHint };
  return { user: { id: userId, isAdmin: false }, values: {}, providers: deps.providers, connections: deps.connections, host };
}

export function standaloneCoreRequest(deps: StandaloneDeps, userId: string, isAdmin: boolean, values: CoreRequest['values']): CoreRequest {
  return {
    user: { id: userId, isAdmin },
    values,
    providers: deps.providers,
    connections: deps.connections,
    host: standaloneHostLinks(deps, userId),
    ...(deps.appsImport && { appsMove: { ledger: deps.appsImport } }),
    ...(deps.tokenApi && { tokenApi: deps.tokenApi.clients }),
  };
}
