// Where the standalone service lives, as this server's system admins recorded
// it: `npm run setup` writes the service's root URL into a prop of the
// service's bot (src/hosts/standalone/setup/service_address.ts). The panel
// opens connect links only there. It never takes the address from a command
// answer: a team admin can point the team's /oauth2 at a server of their own
// and answer __connect with any link, but cannot change another user's record
// (that takes edit_other_users, a system admin's permission; manage_system when
// the bot is an admin bot), and every user can read it.
import { BOT_USERNAME, SERVICE_URL_PROP } from '../../src/hosts/standalone/setup/names.js';
import { sessionGetOptions } from './session_fetch.js';
import { trimTrailingSlashes } from '../../src/util/trim_slashes.js';

export const SERVICE_ADDRESS_UNKNOWN =
  'This server does not say where the OAuth2 Connect service is, so the panel opens no sign-in window. Ask a system admin to run the service’s setup (npm run setup).';

interface UserRecord {
  is_bot?: unknown;
  delete_at?: unknown;
  props?: unknown;
}

/** An absolute http(s) root URL without credentials, query or fragment, trailing slashes removed; else null. */
function serviceRoot(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${trimTrailingSlashes(url.pathname)}`;
}

/** The recorded root URL, when the record is an active bot (a person who took the name does not count). */
export function serviceAddressOf(record: UserRecord): string | null {
  if (record.is_bot !== true || record.delete_at !== 0) return null;
  const props = typeof record.props === 'object' && record.props !== null ? (record.props as Record<string, unknown>) : {};
  return serviceRoot(props[SERVICE_URL_PROP]);
}

/** Reads the service's bot with the user's session; null when it is missing, unreadable or not trustworthy. */
export async function readServiceAddress(siteURL: string): Promise<string | null> {
  try {
    const res = await globalThis.fetch(`${trimTrailingSlashes(siteURL)}/api/v4/users/username/${BOT_USERNAME}`, sessionGetOptions());
    return res.ok ? serviceAddressOf((await res.json()) as UserRecord) : null;
  } catch {
    return null;
  }
}
