/**
 * `disconnect [provider]`: revoke at the provider where it can (RFC 7009,
 * bounded by a timeout), only at the origin that issued the token, then
 * delete the connection whatever the provider answered. A token that cannot
 * be read (wrong key, moved provider) is still deleted. The user's grants to
 * integrations at that provider end with it (an audit entry each).
 */
import { providerOrigin } from '@oauth2-connect/engine';
import { UserFacingError } from './errors.js';
import { md } from './format.js';
import type { StoredProvider } from './provider_records.js';
import { chosenProvider, openProvider } from './providers.js';
import type { CoreDeps, CoreOperation, CoreRequest } from './request.js';
import { userView } from './user_connections.js';
import { auditGrantsEnded } from './token_api/grant_audit.js';

const UNREAD = 'The stored token could not be read, so it was not revoked at the provider; it was deleted here.';
const MOVED = 'The provider moved to another address since you connected, so the token was not sent there; it was deleted here.';

/** The engine bounds each revocation request by APP_REVOCATION_TIMEOUT_MS and never throws. */
async function revokeAtOrigin(req: CoreRequest, deps: CoreDeps, stored: StoredProvider): Promise<string> {
  const name = md(stored.display_name);
  try {
    const row = await req.connections.get(req.user.id, stored.id);
    if (!row) return 'No token was stored.';
    const config = openProvider(stored, deps);
    // Tokens go back only to the origin that issued them; a provider moved elsewhere gets nothing.
    if (row.origin !== providerOrigin(config)) return MOVED;
    deps.logger.addSecrets(row.tokens.access_token, row.tokens.refresh_token, row.tokens.id_token);
    const result = await deps.engine.revoke(config, row.tokens);
    if (!result.supported)
      return `${name} offers no way to revoke tokens; the token was deleted here. You can also remove the App's access in your ${name} account settings.`;
    if (result.revoked) return `The token was revoked at ${name}.`;
    deps.logger.warn('revocation failed', { provider: stored.id, detail: result.detail });
    return `Revoking at ${name} did not succeed (${md(result.detail ?? 'unknown reason')}); the token was deleted here anyway.`;
  } catch (err) {
    deps.logger.warn('revocation skipped', { provider: stored.id, error: err });
    return UNREAD;
  }
}

export const disconnect: CoreOperation = async (req, deps) => {
  const { providers: all, connections } = await userView(req);
  const stored = chosenProvider(
    all,
    req.values,
    all.filter((p) => connections[p.id]),
    'disconnect',
  );
  if (!connections[stored.id]) throw new UserFacingError(`You are not connected to ${md(stored.display_name)}.`);
  // Under the connection's lock: a refresh or a complete of this user on another replica waits, so the
  // token revoked is the one deleted (not one rotated or replaced meanwhile).
  const revocation = await req.connections.withLock(req.user.id, stored.id, async () => {
    const said = await revokeAtOrigin(req, deps, stored);
    // The grants the delete removed with the connection, as it answers them: a consent given meanwhile is among them.
    const { endedGrants } = await req.connections.delete(req.user.id, stored.id);
    await auditGrantsEnded(deps.audit, req.user.id, endedGrants, 'ended by disconnect');
    return said;
  });
  return { text: `Disconnected your ${md(stored.display_name)} account. ${revocation}`, refresh: true };
};
