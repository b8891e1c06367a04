/**
 * `whoami [provider]`: the provider's userinfo or profile, read with the
 * stored token (refreshed when needed). When the provider refuses a token
 * that looked valid, it is refreshed once; if that fails too, the connection
 * is marked broken with a reconnect prompt.
 */
import { isOAuthError } from '../oauth/errors.js';
import type { AccountInfo, ProviderConfig } from '../oauth/types.js';
import { UserFacingError } from './errors.js';
import { codeSpan, md } from './format.js';
import type { StoredProvider } from './provider_records.js';
import { chosenProvider, openProvider } from './providers.js';
import type { CoreDeps, CoreOperation, CoreRequest } from './request.js';
import { breakConnection, notConnected, usableTokens } from './token_use.js';

const SHOWN = ['name', 'login', 'username', 'preferred_username', 'email', 'nickname', 'first_name', 'last_name', 'html_url', 'web_url', 'locale'];

async function accountWithRetry(req: CoreRequest, deps: CoreDeps, stored: StoredProvider, config: ProviderConfig): Promise<AccountInfo> {
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
    throw await breakConnection(req, stored, 'the provider refuses the stored token');
  }
}

export const whoami: CoreOperation = async (req, deps) => {
  const [all, connections] = await Promise.all([req.providers.list(), req.connections.summaries(req.user.id)]);
  const stored = chosenProvider(
    all,
    req.values,
    all.filter((p) => connections[p.id]),
    'ask',
  );
  if (!connections[stored.id]) throw new UserFacingError(notConnected(stored));
  const account = await accountWithRetry(req, deps, stored, openProvider(stored, deps));
  const details = SHOWN.filter((k) => typeof account.profile[k] === 'string' || typeof account.profile[k] === 'number').map(
    (k) => `- ${k}: ${md(String(account.profile[k]))}`,
  );
  return { text: [`At ${md(stored.display_name)} you are **${md(account.label)}** (id ${codeSpan(account.sub)}).`, ...details].join('\n') };
};
