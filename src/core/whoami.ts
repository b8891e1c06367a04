/**
 * `whoami [provider]`: the provider's userinfo or profile, read with the
 * stored token (refreshed when needed). When the provider refuses a token
 * that looked valid, it is refreshed once; if that fails too, the connection
 * is marked broken with a reconnect prompt.
 */
import { isOAuthError, type AccountInfo, type ProviderConfig } from '@oauth2-connect/engine';
import { UserFacingError } from './errors.js';
import { codeSpan, md } from './format.js';
import type { StoredProvider } from './provider_records.js';
import { chosenProvider, openProvider } from './providers.js';
import type { CoreDeps, CoreOperation, CoreRequest } from './request.js';
import type { ConnectionRow } from './ports.js';
import { breakConnection, notConnected, usableTokens } from './token_use.js';
import { userView } from './user_connections.js';
import { notCarriedOver, notCarriedOverText } from './apps_move/not_carried_over.js';

const SHOWN = ['name', 'login', 'username', 'preferred_username', 'email', 'nickname', 'first_name', 'last_name', 'html_url', 'web_url', 'locale'];

async function accountWithRetry(req: CoreRequest, deps: CoreDeps, stored: StoredProvider, config: ProviderConfig, row?: ConnectionRow): Promise<AccountInfo> {
  const tokens = await usableTokens(req, deps, stored, config, row && { row });
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
  const view = await userView(req);
  const stored = chosenProvider(
    view.providers,
    req.values,
    view.providers.filter((p) => view.connections[p.id]),
    'ask',
  );
  if (!view.connections[stored.id]) {
    const missed = await notCarriedOver(req, [stored.id]);
    throw new UserFacingError(missed.has(stored.id) ? notCarriedOverText(stored) : notConnected(stored));
  }
  // A row that came with the view is used while its token is fresh; one that does not open is read again in the lock, which says why.
  const row = view.read === 'with the view' ? await view.row(stored.id).catch(() => undefined) : undefined;
  const account = await accountWithRetry(req, deps, stored, openProvider(stored, deps), row);
  const details = SHOWN.filter((k) => typeof account.profile[k] === 'string' || typeof account.profile[k] === 'number').map(
    (k) => `- ${k}: ${md(String(account.profile[k]))}`,
  );
  return { text: [`At ${md(stored.display_name)} you are **${md(account.label)}** (id ${codeSpan(account.sub)}).`, ...details].join('\n') };
};
