/**
 * What a user sees on the standalone host after the upgrade when the Apps
 * host had them connected to a provider and their connection was not copied
 * (they did not use the App between the start of user copying and the
 * upgrade): one line per such provider, telling them the one command that
 * connects them again. Only the standalone host shows it (on the Apps host
 * their connection is still live).
 */
import { md } from '../format.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreRequest } from '../request.js';

/** The providers, among those the user is not connected to here, whose Apps connection was not copied. */
export async function notCarriedOver(req: CoreRequest, unconnected: readonly string[]): Promise<Set<string>> {
  const move = req.appsMove;
  if (!move || move.target || unconnected.length === 0) return new Set();
  const missed = await move.ledger.notCopied(req.user.id);
  return new Set(missed.filter((id) => unconnected.includes(id)));
}

export const notCarriedOverText = (p: Pick<StoredProvider, 'id' | 'display_name'>): string =>
  `Your ${md(p.display_name)} connection from before the Mattermost upgrade was not carried over: reconnect with \`/oauth2 connect ${p.id}\`.`;
