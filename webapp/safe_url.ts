// Which URLs from an App answer this plugin may open or link. An answer is data
// from the server side: a `javascript:` (or data:, vbscript:, ...) URL loaded
// into the blank sign-in window, which shares the page's origin, would run as
// the user on Mattermost. So the sign-in window only goes to the Apps plugin's
// connect URL on this site or to the standalone service's connect page at the
// address the admins recorded, and other links must be plain http(s).
import { APP_ID, APPS_PLUGIN_ID } from './manifest.js';

const WEB_PROTOCOLS = new Set(['http:', 'https:']);

function parse(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** An absolute http(s) URL without credentials, as written; else null. */
export function webUrl(raw: unknown): string | null {
  const url = parse(raw);
  return url && WEB_PROTOCOLS.has(url.protocol) && !url.username && !url.password ? (raw as string) : null;
}

function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/**
 * The Apps plugin's connect URL for this App on this site
 * ({SiteURL}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect,
 * a query allowed); else null.
 */
export function pluginConnectUrl(raw: unknown, siteURL: string): string | null {
  const url = webUrl(raw) === null ? null : parse(raw);
  const site = parse(siteURL);
  if (!url || !site || url.origin !== site.origin || url.hash) return null;
  const expected = `${withoutTrailingSlashes(site.pathname)}/plugins/${APPS_PLUGIN_ID}/apps/${APP_ID}/oauth2/remote/connect`;
  return url.pathname === expected ? (raw as string) : null;
}

/**
 * The standalone service's one-time connect link (<service root>/standalone/connect?l=…),
 * only under `serviceRoot`, the address this server's admins recorded
 * (client/service_address.ts); with none recorded, nothing is accepted. The
 * answer that carries the link cannot vouch for it: the team's command may
 * point at another server.
 */
export function standaloneConnectUrl(raw: unknown, serviceRoot: string | null): string | null {
  const url = webUrl(raw) === null ? null : parse(raw);
  const root = parse(serviceRoot);
  if (!url || !root || url.origin !== root.origin || url.hash || !url.searchParams.get('l')) return null;
  return url.pathname === `${withoutTrailingSlashes(root.pathname)}/standalone/connect` ? (raw as string) : null;
}
