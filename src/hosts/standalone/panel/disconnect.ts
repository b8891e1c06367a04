/**
 * Disconnect on the standalone host: revoke at the provider where it can
 * (RFC 7009; the engine bounds the request and never throws), then delete the
 * row whatever the provider answered. A token that does not open is still deleted.
 */
import { md } from '../../../core/format.js';
import type { StandaloneDeps } from '../deps.js';
import { Refusal } from '../errors.js';
import { openProvider, registeredProvider } from '../providers.js';

type DisconnectDeps = Pick<StandaloneDeps, 'providers' | 'connections' | 'engine' | 'sealer' | 'clientSecretBinding' | 'logger'>;

async function revokeAtProvider(deps: DisconnectDeps, userId: string, providerId: string): Promise<string> {
  const stored = await registeredProvider(deps, providerId);
  const name = md(stored.display_name);
  try {
    const row = await deps.connections.get(userId, providerId);
    if (!row) return 'No token was stored.';
    const result = await deps.engine.revoke(openProvider(stored, deps), row.tokens);
    if (!result.supported) return `${name} offers no way to revoke tokens; the token was deleted here.`;
    if (result.revoked) return `The token was revoked at ${name}.`;
    deps.logger.warn('revocation failed', { provider: providerId, detail: result.detail });
    return `Revoking at ${name} did not succeed (${md(result.detail ?? 'unknown reason')}); the token was deleted here anyway.`;
  } catch (err) {
    deps.logger.warn('revocation skipped', { provider: providerId, error: err });
    return 'The stored token could not be read, so it was not revoked at the provider; it was deleted here.';
  }
}

/** The answer text; a Refusal when the user is not connected to that provider. */
export async function disconnectUser(deps: DisconnectDeps, userId: string, providerId: string): Promise<string> {
  const stored = await registeredProvider(deps, providerId);
  const summaries = await deps.connections.summaries(userId);
  if (!summaries[providerId]) throw new Refusal(`You are not connected to ${md(stored.display_name)}.`);
  const revocation = await revokeAtProvider(deps, userId, providerId);
  await deps.connections.delete(userId, providerId);
  return `Disconnected your ${md(stored.display_name)} account. ${revocation}`;
}
