/**
 * Connect links: `<root>/standalone/connect?l=<random>`, bound to the user the
 * command came from (its token was checked), single use, as long as a connect
 * lasts (core/connect_flow.ts). Only the hash of the random value is stored.
 */
import { FLOW_TTL_MS } from '../../../core/connect_flow.js';
import type { StandaloneDeps } from '../deps.js';
import { hashValue, randomValue } from '../secrets.js';

export const LINK_TTL_MS = FLOW_TTL_MS;

export async function createConnectLink(deps: Pick<StandaloneDeps, 'oneTime' | 'now' | 'settings'>, userId: string, providerId: string): Promise<string> {
  const value = randomValue();
  await deps.oneTime.put({ key_hash: hashValue(value), purpose: 'link', user_id: userId, provider_id: providerId, expires_at: deps.now() + LINK_TTL_MS });
  return `${deps.settings.rootUrl}/standalone/connect?l=${value}`;
}
