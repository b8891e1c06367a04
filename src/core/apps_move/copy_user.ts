/**
 * Copying one user's connections from the Apps host into the standalone
 * host's storage. The caller has proven who the user is with Mattermost and
 * reads their Apps stores with their own token (the plugin answers for no one
 * else). A token is opened for the slot of the standalone host's provider of
 * the same short name: it opens only when the Apps host sealed it for that
 * provider's origin, so a token is never copied to a provider at another
 * origin. Of two connections the newer one stays (a user who connected on the
 * standalone host since keeps that one).
 */
import type { TokenSet } from '@oauth2-connect/engine';
import type { Connection } from '../record_schemas.js';
import { storedOrigin, tokenSlot } from '../seal_slots.js';
import type { MoveEntry, MoveTarget } from './ports.js';

export interface AppsUserStores {
  /** As Mattermost said for the token these stores are read with. */
  userId: string;
  /** The user's summary on the Apps host (oauth2/user), by provider id. */
  connections: Record<string, Connection>;
  /** The user's token at a provider, opened for `slot`; throws when it was sealed for another slot. */
  tokens(providerId: string, slot: ReturnType<typeof tokenSlot>): Promise<TokenSet | undefined>;
}

export type UserSkip = 'broken' | 'provider not copied' | 'no token' | 'sealed for another user, provider or origin' | 'newer on the standalone host';

export interface UserCopy {
  copied: string[];
  /** Copies of connections the user has ended on the Apps host since (disconnected), deleted here too. */
  removed: string[];
  skipped: Array<{ provider_id: string; reason: UserSkip }>;
}

async function copyOne(
  user: AppsUserStores,
  providerId: string,
  connection: Connection,
  target: MoveTarget,
  mine: Record<string, Connection>,
): Promise<UserSkip | undefined> {
  if (connection.broken) return 'broken';
  const provider = await target.providers.get(providerId);
  if (!provider) return 'provider not copied';
  // A connection older than its provider's registration belongs to an earlier one (the Apps host shows it broken).
  if (connection.since < provider.created_at) return 'broken';
  const there = mine[providerId];
  if (there && there.since > connection.since) return 'newer on the standalone host';
  let tokens: TokenSet | undefined;
  try {
    tokens = await user.tokens(providerId, tokenSlot(user.userId, provider));
  } catch {
    return 'sealed for another user, provider or origin';
  }
  if (!tokens) return 'no token';
  const { broken: _broken, expires_at: _expires, ...rest } = connection;
  await target.connections.save({
    user_id: user.userId,
    provider_id: providerId,
    connection: { ...rest, ...(tokens.expires_at !== undefined && { expires_at: tokens.expires_at }) },
    tokens,
    origin: storedOrigin(provider),
  });
  return undefined;
}

/** Copies what can be copied and records it; a failure at one provider does not stop the others. */
export async function copyUserConnections(user: AppsUserStores, target: MoveTarget, now: number): Promise<UserCopy> {
  const entries: MoveEntry[] = Object.keys(user.connections).map((provider_id) => ({ user_id: user.userId, provider_id }));
  await target.ledger.know(entries, now);
  const mine = await target.connections.summaries(user.userId);
  const result: UserCopy = { copied: [], removed: [], skipped: [] };
  for (const [providerId, connection] of Object.entries(user.connections)) {
    const skipped = await copyOne(user, providerId, connection, target, mine);
    if (skipped) result.skipped.push({ provider_id: providerId, reason: skipped });
    else result.copied.push(providerId);
  }
  result.removed = await removeEnded(user, target, mine);
  await target.ledger.copied(user.userId, result.copied, now);
  return result;
}

/**
 * A copy whose connection the user ended on the Apps host (a disconnect, which may not revoke the token at every
 * provider) is deleted, unless the user connected on the standalone host since (a row newer than the copy).
 */
async function removeEnded(user: AppsUserStores, target: MoveTarget, mine: Record<string, Connection>): Promise<string[]> {
  const removed: string[] = [];
  for (const { provider_id, copied_at } of await target.ledger.copiedOf(user.userId)) {
    if (user.connections[provider_id]) continue;
    const there = mine[provider_id];
    if (there && there.since <= copied_at) await target.connections.delete(user.userId, provider_id);
    await target.ledger.forget(user.userId, provider_id);
    removed.push(provider_id);
  }
  return removed;
}
