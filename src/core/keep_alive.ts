/**
 * Keeping one idle connection alive: providers end refresh tokens that go
 * unused (Microsoft's after 90 days, Google's after six months), so a
 * connection nobody used for a while is refreshed through the path a use
 * takes: the connection's lock (every replica respects it) and the engine's
 * single flight. Inside the lock the row is read again and refreshed only if
 * it is still idle, unbroken and holds a refresh token, so overlapping passes,
 * or a user's call meanwhile, make no second refresh. A refresh refused for
 * good breaks the connection and tells the user by direct message with the
 * prompt a use would answer; a token that does not belong here is left for a
 * use to report (the pass acts only on what the provider says).
 */
import { getFreshToken, isOAuthError } from '@oauth2-connect/engine';
import type { StoredProvider } from './provider_records.js';
import { openProvider } from './providers.js';
import type { CoreDeps, CoreRequest } from './request.js';
import { BROKEN, breakConnection, freshTokenInput, isWrongBinding, issuedHere } from './token_use.js';

/** What the pass did with one connection (a provider that cannot be reached throws: the connection is tried again on a later pass). */
export type KeepAliveOutcome = 'refreshed' | 'failed_for_good' | 'skipped';

/** Refreshes the user's connection to `stored` if it was last used before `idleBefore`; throws when the provider cannot be reached. */
export async function keepConnectionAlive(req: CoreRequest, deps: CoreDeps, stored: StoredProvider, idleBefore: number): Promise<KeepAliveOutcome> {
  const userId = req.user.id;
  const config = openProvider(stored, deps);
  try {
    return await req.connections.withLock(userId, stored.id, async () => {
      const row = await req.connections.get(userId, stored.id);
      if (!row || row.connection.broken || !row.tokens.refresh_token) return 'skipped';
      if (row.used_at === undefined || row.used_at >= idleBefore || !issuedHere(row, config)) return 'skipped';
      await getFreshToken(freshTokenInput(req, deps, stored, config, row, true));
      return 'refreshed';
    });
  } catch (err) {
    if (isWrongBinding(err)) return 'skipped';
    if (!isOAuthError(err, 'invalid_grant')) throw err;
    const prompt = await breakConnection(req, stored, BROKEN);
    await req.host.notify(userId, prompt.message);
    return 'failed_for_good';
  }
}
