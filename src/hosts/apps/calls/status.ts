/** `/oauth2 status`: every provider, connected as whom, since when, token expiry, broken. */
import { ok } from '../protocol/responses.js';
import type { PanelProvider } from '../protocol/panel_types.js';
import type { Handler } from './deps.js';
import { formatTime, md, relative } from '../../../core/format.js';
import { connectionView } from './connection_view.js';
import { NO_PROVIDERS } from './provider_access.js';

function line(p: PanelProvider, now: number): string {
  const name = `**${md(p.display_name)}** (\`${p.id}\`)`;
  if (!p.connected) return `- ${name}: not connected. Connect with \`/oauth2 connect ${p.id}\`.`;
  const since = p.connected_at ? ` since ${formatTime(p.connected_at)}` : '';
  if (p.broken) return `- ${name}: :warning: needs reconnecting (${md(p.broken_reason ?? 'broken')}). Reconnect with \`/oauth2 connect ${p.id}\`.`;
  const expiry =
    p.expires_at === undefined
      ? 'token without expiry'
      : p.expires_at > now
        ? `token expires ${relative(p.expires_at, now)} (refreshed automatically when possible)`
        : `token expired ${relative(p.expires_at, now)}; it is refreshed on next use`;
  return `- ${name}: connected as **${md(p.account_label ?? '')}**${since}; ${expiry}.`;
}

export const status: Handler = async (req, deps) => {
  const view = await connectionView(req, deps);
  if (view.length === 0) return ok(NO_PROVIDERS);
  const now = deps.now();
  return ok(['#### Your connected accounts', ...view.map((p) => line(p, now))].join('\n'));
};
