/** Reading the trusted, expanded context of a call, and the clients it enables. */
import type { CallRequest, ExpandedUser } from '../protocol/types.js';
import { AppsPluginClient, MattermostRestClient } from '@oauth2-connect/driver';
import { readProviders, type StoredProvider } from '../../../core/provider_records.js';
import { TokenStore } from '../store/token_store.js';
import { readUserState, type UserState } from '../store/user_state.js';
import type { Deps } from './deps.js';
import { UserFacingError } from '../../../core/errors.js';

export function actingUser(req: CallRequest): ExpandedUser {
  const user = req.context.acting_user;
  if (!user?.id) throw new UserFacingError('This needs a signed-in Mattermost user. Sign in to Mattermost in this browser and try again.');
  return user;
}

/**
 * What the call body claims about the user's roles: enough to choose what to
 * show (bindings, help), and necessary for admin paths, never sufficient (requireAdmin asks Mattermost).
 */
export function isSystemAdmin(req: CallRequest): boolean {
  return (req.context.acting_user?.roles ?? '').split(/\s+/).includes('system_admin');
}

export function siteUrl(req: CallRequest, deps: Deps): string {
  const url = deps.config.mattermostUrl ?? req.context.mattermost_site_url;
  if (!url) throw new UserFacingError('The call did not say which Mattermost server sent it (no mattermost_site_url).');
  return url;
}

const MISSING_TOKEN = {
  user: 'The App did not receive your access token for this call. Reinstall or update the App, then try again.',
  bot: 'The App did not receive its bot token: it needs the act_as_bot permission.',
};

/** HTTP options as the acting user (their KV namespace, oauth2/user) or as the App's bot (app-global KV). */
function asWho(req: CallRequest, deps: Deps, who: 'user' | 'bot') {
  const token = who === 'user' ? req.context.acting_user_access_token : req.context.bot_access_token;
  if (!token) throw new UserFacingError(MISSING_TOKEN[who]);
  return { siteUrl: siteUrl(req, deps), token, fetch: deps.fetch, timeoutMs: deps.config.httpTimeoutMs };
}

export const userClient = (req: CallRequest, deps: Deps) => new AppsPluginClient(asWho(req, deps, 'user'));
export const botClient = (req: CallRequest, deps: Deps) => new AppsPluginClient(asWho(req, deps, 'bot'));
export const userRest = (req: CallRequest, deps: Deps) => new MattermostRestClient(asWho(req, deps, 'user'));
export const botRest = (req: CallRequest, deps: Deps) => new MattermostRestClient(asWho(req, deps, 'bot'));

/** The acting user's token store; every token it reads or writes is registered with the logger's redaction. */
export function userTokenStore(req: CallRequest, deps: Deps): TokenStore {
  return new TokenStore(userClient(req, deps), deps.sealer, (t) => deps.logger.addSecrets(t.access_token, t.refresh_token, t.id_token));
}

export const providersOf = (req: CallRequest): StoredProvider[] => readProviders(req.context.oauth2?.data);
/**
 * The acting user's summary. A connection older than its provider's
 * registration (the provider was removed and added again) is shown broken:
 * its token belongs to the old registration. `providers`: the request's, when
 * the caller has already read them (each read checks every record).
 */
export function userStateOf(req: CallRequest, providers: readonly StoredProvider[] = providersOf(req)): UserState {
  const state = readUserState(req.context.oauth2?.user);
  for (const provider of providers) {
    const c = state.connections[provider.id];
    if (c && !c.broken && c.since < provider.created_at) c.broken = 'the provider was registered again since you connected';
  }
  return state;
}
