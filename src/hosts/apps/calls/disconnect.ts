/**
 * `/oauth2 disconnect <provider>`: revoke at the provider where it can
 * (RFC 7009, bounded by a timeout), then delete locally whatever the provider
 * answered. A token that cannot be read (wrong key) is still deleted.
 */
import { okRefresh } from '../protocol/responses.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import type { TokenStore } from '../store/token_store.js';
import { actingUser, botClient, providersOf, userClient, userStateOf } from './context.js';
import type { Deps, Handler } from './deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import { chosenProvider, openProvider } from './provider_access.js';
import { tokenSlot, userTokenStore } from './seal_slots.js';
import type { SealBinding } from '../../../oauth/crypto.js';

/** The engine bounds each revocation request by APP_REVOCATION_TIMEOUT_MS and never throws. */
async function revokeAtProvider(deps: Deps, stored: StoredProvider, store: TokenStore, slot: SealBinding): Promise<string> {
  try {
    // The token opens only for the origin it was issued by, so revocation never goes anywhere else.
    const tokens = await store.load(stored.id, slot);
    if (!tokens) return 'No token was stored.';
    const result = await deps.engine.revoke(openProvider(stored, deps), tokens);
    if (!result.supported)
      return `${md(stored.display_name)} offers no way to revoke tokens; the token was deleted here. You can also remove the App's access in your ${md(stored.display_name)} account settings.`;
    if (result.revoked) return `The token was revoked at ${md(stored.display_name)}.`;
    deps.logger.warn('revocation failed', { provider: stored.id, detail: result.detail });
    return `Revoking at ${md(stored.display_name)} did not succeed (${md(result.detail ?? 'unknown reason')}); the token was deleted here anyway.`;
  } catch (err) {
    deps.logger.warn('revocation skipped', { provider: stored.id, error: err });
    return 'The stored token could not be read, so it was not revoked at the provider; it was deleted here.';
  }
}

export const disconnect: Handler = async (req, deps) => {
  const user = actingUser(req);
  const summary = userStateOf(req);
  const connected = providersOf(req).filter((p) => summary.connections[p.id]);
  const stored = chosenProvider(req, connected, 'disconnect');
  if (!summary.connections[stored.id]) throw new UserFacingError(`You are not connected to ${md(stored.display_name)}.`);
  const store = userTokenStore(req, deps);
  const revocation = await revokeAtProvider(deps, stored, store, tokenSlot(user.id, stored));
  await store.delete(stored.id);
  const { [stored.id]: _removed, ...connections } = summary.connections;
  await userClient(req, deps).storeOAuth2User({ ...summary, connections });
  deps.reportIndex.record(botClient(req, deps), stored.id, user.id, 'removed');
  return okRefresh(`Disconnected your ${md(stored.display_name)} account. ${revocation}`);
};
