/**
 * The standalone host's side of the core's admin operations: the CoreRequest
 * for a user whose admin rights the host has just re-read from Mattermost,
 * and its links (the exact redirect URI under /standalone/complete, the bot).
 */
import type { CoreRequest, CoreValues, HostLinks } from '../../../core/request.js';
import { commandConnectHint, standaloneCoreRequest, standaloneHostLinks } from '../signin/core_request.js';
import type { StandaloneDeps } from '../deps.js';

/** The user operations' links, but admins are pointed at the command rather than handed a one-time link for themselves. */
function standaloneLinks(deps: StandaloneDeps, userId: string): HostLinks {
  return { ...standaloneHostLinks(deps, userId), connectHint: commandConnectHint };
}

/** isAdmin: what Mattermost answered just now (bot.isSystemAdmin), never what a request claims. */
export function adminRequest(deps: StandaloneDeps, userId: string, isAdmin: boolean, values: CoreValues): CoreRequest {
  return { ...standaloneCoreRequest(deps, userId, isAdmin, values), host: standaloneLinks(deps, userId) };
}
