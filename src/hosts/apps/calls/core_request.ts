/**
 * The Apps host's side of the core's contract: a CoreRequest built from a
 * call (providers from the expanded oauth2/app data, connections from
 * oauth2/user + the user's KV, links from the plugin's connect_url and
 * complete_url), and a CoreAnswer rendered as a call response.
 */
import type { CoreAnswer, CoreRequest, HostLinks } from '../../../core/request.js';
import type { ProviderRepository } from '../../../core/ports.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import { md } from '../../../core/format.js';
import { APPS_WORDING } from '../../../core/info.js';
import { ok, okRefresh } from '../protocol/responses.js';
import type { CallRequest, CallResponse } from '../protocol/types.js';
import { select } from '../protocol/values.js';
import type { UserState } from '../store/user_state.js';
import { saveProviders } from './admin/save_providers.js';
import { appsConnections, type CallStores } from '../store/apps_connections.js';
import { actingUser, botClient, botRest, isSystemAdmin, providersOf, userClient, userStateOf, userTokenStore } from './context.js';
import type { Deps } from './deps.js';
import { sendDm } from './notify.js';
import { providerRedirectUri } from './redirect_uri.js';

export function appsProviders(req: CallRequest, deps: Deps): ProviderRepository {
  let list = providersOf(req);
  return {
    list: async () => list,
    get: async (id) => list.find((p) => p.id === id),
    async save(provider: StoredProvider) {
      const next = [...list.filter((p) => p.id !== provider.id), provider];
      await saveProviders(req, deps, next);
      list = next;
    },
    async remove(id) {
      if (!list.some((p) => p.id === id)) return false;
      const next = list.filter((p) => p.id !== id);
      await saveProviders(req, deps, next);
      list = next;
      return true;
    },
  };
}

export function appsHostLinks(req: CallRequest, deps: Deps): HostLinks {
  return {
    helpWording: APPS_WORDING,
    async connectHint(providerId) {
      const stored = providersOf(req).find((p) => p.id === providerId);
      const link = req.context.oauth2?.connect_url;
      const name = md(stored?.display_name ?? providerId);
      return link ? `[Reconnect your ${name} account](${link})` : `Reconnect with \`/oauth2 connect ${providerId}\``;
    },
    redirectUri(providerId) {
      const completeUrl = req.context.oauth2?.complete_url;
      return completeUrl ? providerRedirectUri(completeUrl, providerId) : undefined;
    },
    notify: (userId, message) => sendDm(req, deps, userStateOf(req), message),
    usernames: (ids) => botRest(req, deps).usernames(ids),
  };
}

/** Values the core reads: strings and booleans (a select's value, not its label). */
function coreValues(req: CallRequest): CoreRequest['values'] {
  const out: CoreRequest['values'] = {};
  for (const [name, value] of Object.entries(req.values ?? {})) {
    if (typeof value === 'string' || typeof value === 'boolean') out[name] = value;
    else if (value && typeof value === 'object' && 'value' in value) out[name] = select(req.values, name);
  }
  return out;
}

/** The stores of this call, for the connection repository. */
function callStores(req: CallRequest, deps: Deps): CallStores {
  return {
    actingUserId: () => actingUser(req).id,
    providers: () => providersOf(req),
    tokens: () => userTokenStore(req, deps),
    user: () => userClient(req, deps),
    bot: () => botClient(req, deps),
    reportIndex: deps.reportIndex,
    now: deps.now,
    ...(deps.userCopies && { changed: (userId: string) => deps.userCopies!.changed(userId) }),
  };
}

export function coreRequest(req: CallRequest, deps: Deps, state?: UserState): CoreRequest {
  return {
    user: { id: req.context.acting_user?.id ?? '', isAdmin: isSystemAdmin(req) },
    values: coreValues(req),
    providers: appsProviders(req, deps),
    connections: appsConnections(callStores(req, deps), state ?? userStateOf(req)),
    host: appsHostLinks(req, deps),
  };
}

/** text -> ok, data -> ok's data, refresh -> okRefresh; forms are the admin slice's. */
export function render(answer: CoreAnswer): CallResponse {
  return (answer.refresh ? okRefresh : ok)(answer.text, answer.data);
}
