/**
 * The Apps host's side of the core's admin operations: the CoreRequest built
 * from a call (values normalised, the acting user, the providers in
 * oauth2/app, the report index, the App's links), and the core's answers as
 * call responses. The admin guard (requireAdmin) has asked Mattermost already.
 */
import type { ConnectionRepository, ProviderRepository, ProviderUsers } from '../../../../core/ports.js';
import type { StoredProvider } from '../../../../core/provider_records.js';
import { APPS_WORDING } from '../../../../core/info.js';
import type { CoreAnswer, CoreRequest, CoreValues, HostLinks } from '../../../../core/request.js';
import { ok, okRefresh } from '../../protocol/responses.js';
import type { CallRequest, CallResponse } from '../../protocol/types.js';
import { select } from '../../protocol/values.js';
import { actingUser, botClient, isSystemAdmin, providersOf, userRest } from '../context.js';
import type { Deps } from '../deps.js';
import { providerRedirectUri } from '../redirect_uri.js';
import { saveProviders } from './save_providers.js';

/** Form and command values as strings and booleans: a select's {label, value} becomes its value. */
export function coreValues(req: CallRequest): CoreValues {
  const values: CoreValues = {};
  for (const [name, v] of Object.entries(req.values ?? {})) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'boolean') values[name] = v;
    else if (typeof v === 'number') values[name] = String(v);
    else values[name] = select(req.values, name); // an option, or an InputError naming the field
  }
  return values;
}

/** oauth2/app holds the whole list: each change writes it back (the request's copy is kept current). */
function appsProviders(req: CallRequest, deps: Deps): ProviderRepository {
  let all: StoredProvider[] = providersOf(req);
  const write = async (next: StoredProvider[]) => {
    await saveProviders(req, deps, next);
    all = next;
  };
  return {
    list: async () => all,
    get: async (id) => all.find((p) => p.id === id),
    save: async (p) => write(all.some((q) => q.id === p.id) ? all.map((q) => (q.id === p.id ? p : q)) : [...all, p]),
    remove: async (id) => {
      if (!all.some((p) => p.id === id)) return false;
      await write(all.filter((p) => p.id !== id));
      await deps.reportIndex.clear(botClient(req, deps), id).catch((err) => deps.logger.warn('report index clear failed', { error: err }));
      return true;
    },
  };
}

const notHere = (): never => {
  throw new Error('not used by the admin operations');
};

/** Only the report is read here; the users' connections live in each user's KV. */
function appsReport(req: CallRequest, deps: Deps): ConnectionRepository {
  const report = async () => {
    const bot = botClient(req, deps);
    const entries = await Promise.all(providersOf(req).map(async (p) => [p.id, await deps.reportIndex.read(bot, p.id)] as [string, ProviderUsers]));
    return Object.fromEntries(entries);
  };
  return { report, summaries: notHere, get: notHere, save: notHere, saveTokens: notHere, markBroken: notHere, delete: notHere, withLock: notHere };
}

function appsLinks(req: CallRequest, deps: Deps): HostLinks {
  const completeUrl = req.context.oauth2?.complete_url;
  return {
    helpWording: APPS_WORDING,
    connectHint: async (id) => `\`/oauth2 connect ${id}\``,
    redirectUri: (id) => (completeUrl ? providerRedirectUri(completeUrl, id) : undefined),
    notify: async () => undefined,
    usernames: (ids) => userRest(req, deps).usernames(ids),
  };
}

export function adminCoreRequest(req: CallRequest, deps: Deps, extra: CoreValues = {}): CoreRequest {
  return {
    user: { id: actingUser(req).id, isAdmin: isSystemAdmin(req) },
    values: { ...coreValues(req), ...extra },
    providers: appsProviders(req, deps),
    connections: appsReport(req, deps),
    host: appsLinks(req, deps),
    ...(deps.moveTarget && { appsMove: { ledger: deps.moveTarget.ledger, target: deps.moveTarget } }),
  };
}

export const answerOf = (answer: CoreAnswer): CallResponse => (answer.refresh ? okRefresh(answer.text, answer.data) : ok(answer.text, answer.data));
