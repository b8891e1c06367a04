/** `status`: every provider, connected as whom, since when, token expiry, broken. */
import { formatTime, md, relative } from './format.js';
import { connectionView, connectionViewOf, type ConnectionView } from './connection_view.js';
import { NO_PROVIDERS } from './providers.js';
import type { CoreOperation } from './request.js';
import { notCarriedOver, notCarriedOverText } from './apps_move/not_carried_over.js';
import { grantStatusLines } from './token_api/grants.js';
import { userView } from './user_connections.js';

function line(p: ConnectionView, now: number, missed: ReadonlySet<string>): string {
  const name = `**${md(p.display_name)}** (\`${p.id}\`)`;
  if (!p.connected && missed.has(p.id)) return `- ${name}: :warning: ${notCarriedOverText(p)}`;
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

/** `missed`: providers whose connection on the Apps host was not carried over to this host (apps_move/not_carried_over.ts). */
export function statusText(view: ConnectionView[], now: number, missed: ReadonlySet<string> = new Set()): string {
  if (view.length === 0) return NO_PROVIDERS;
  return ['#### Your connected accounts', ...view.map((p) => line(p, now, missed))].join('\n');
}

export const status: CoreOperation = async (req, deps) => {
  const read = await userView(req);
  const [view, grants] = await Promise.all([connectionViewOf(read, deps), grantStatusLines(req, read.grants)]);
  const missed = await notCarriedOver(
    req,
    view.filter((p) => !p.connected).map((p) => p.id),
  );
  return { text: [statusText(view, deps.now(), missed), ...grants].join('\n') };
};

/** The webapp panel's data: the same view, as data. */
export const connectionsData: CoreOperation = async (req, deps) => ({ data: await connectionView(req, deps) });
