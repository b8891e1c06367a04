/**
 * The standalone host's side of the core's admin operations: the CoreRequest
 * for a user whose admin rights the host has just re-read from Mattermost,
 * its links (the exact redirect URI under /standalone/complete, the bot), and
 * the core's failures as command or dialog answers.
 */
import type { AdminDeps } from '../../../core/admin/provider_secrets.js';
import type { CoreRequest, CoreValues, HostLinks } from '../../../core/request.js';
import { standaloneHostLinks } from '../commands/core_request.js';
import type { StandaloneDeps } from '../deps.js';
import { STANDALONE_SEAL_SCOPE } from '../service/sealer.js';

/** The seal scope of this host's values (the Apps host's is its App id); one definition, the service's sealer's. */
export { STANDALONE_SEAL_SCOPE };

/** The user operations' links, but admins are pointed at the command rather than handed a one-time link for themselves. */
function standaloneLinks(deps: StandaloneDeps, userId: string): HostLinks {
  return { ...standaloneHostLinks(deps, userId), connectHint: async (id) => `\`/oauth2 connect ${id}\`` };
}

/** isAdmin: what Mattermost answered just now (bot.isSystemAdmin), never what a request claims. */
export function adminRequest(deps: StandaloneDeps, userId: string, isAdmin: boolean, values: CoreValues): CoreRequest {
  return { user: { id: userId, isAdmin }, values, providers: deps.providers, connections: deps.connections, host: standaloneLinks(deps, userId) };
}

/** The core seals client secrets with the binding the rest of this host opens them with. */
export const adminDeps = (deps: StandaloneDeps): AdminDeps => deps;
