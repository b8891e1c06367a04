/**
 * Connect links: `<root>/standalone/connect?l=<random>`, bound to the user the
 * command came from (its token was checked), single use, 10 minutes. Only the
 * hash of the random value is stored.
 */
import type { StandaloneDeps } from '../deps.js';
import { hashValue, randomValue } from '../secrets.js';

export const LINK_TTL_MS = 10 * 60 * 1000;

export async function createConnectLink(deps: Pick<StandaloneDeps, 'oneTime' | 'now' | 'settings'>, userId: string, providerId: string): Promise<string> {
  const value = randomValue();
  await deps.oneTime.put({ key_hash: hashValue(value), purpose: 'link', user_id: userId, provider_id: providerId, expires_at: deps.now() + LINK_TTL_MS });
  return `${deps.settings.rootUrl}/standalone/connect?l=${value}`;
}
