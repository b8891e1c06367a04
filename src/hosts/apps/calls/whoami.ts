/**
 * `/oauth2 whoami <provider>`: the provider's userinfo or profile, read with
 * the stored token (refreshed when needed). When the provider refuses a token
 * that looked valid, it is refreshed once; if that fails too, the connection
 * is marked broken with a reconnect prompt.
 */
import { ok } from '../protocol/responses.js';
import type { CallRequest } from '../protocol/types.js';
import { isOAuthError } from '../../../oauth/errors.js';
import type { AccountInfo, ProviderConfig } from '../../../oauth/types.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import { providersOf, userStateOf } from './context.js';
import type { Deps, Handler } from './deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import { chosenProvider, openProvider } from './provider_access.js';
import { markBroken, reconnectPrompt, usableTokens } from './token_access.js';

const SHOWN = ['name', 'login', 'username', 'preferred_username', 'email', 'nickname', 'first_name', 'last_name', 'html_url', 'web_url', 'locale'];

async function accountWithRetry(req: CallRequest, deps: Deps, stored: StoredProvider, config: ProviderConfig): Promise<AccountInfo> {
  const tokens = await usableTokens(req, deps, stored, config);
  try {
    return await deps.engine.account(config, tokens);
  } catch (err) {
    if (!isOAuthError(err, 'invalid_grant')) throw err;
  }
  const refreshed = await usableTokens(req, deps, stored, config, { force: true });
  try {
    return await deps.engine.account(config, refreshed);
  } catch (err) {
    if (!isOAuthError(err, 'invalid_grant')) throw err;
    const reason = 'the provider refuses the stored token';
    await markBroken(req, deps, stored, reason);
    throw new UserFacingError(reconnectPrompt(req, stored, reason));
  }
}

export const whoami: Handler = async (req, deps) => {
  const summary = userStateOf(req);
  const connected = providersOf(req).filter((p) => summary.connections[p.id]);
  const stored = chosenProvider(req, connected, 'ask');
  if (!summary.connections[stored.id])
    throw new UserFacingError(`You are not connected to ${md(stored.display_name)}. Connect with \`/oauth2 connect ${stored.id}\`.`);
  const account = await accountWithRetry(req, deps, stored, openProvider(stored, deps));
  const details = SHOWN.filter((k) => typeof account.profile[k] === 'string' || typeof account.profile[k] === 'number').map(
    (k) => `- ${k}: ${md(String(account.profile[k]))}`,
  );
  return ok([`At ${md(stored.display_name)} you are **${md(account.label)}** (id \`${md(account.sub)}\`).`, ...details].join('\n'));
};
