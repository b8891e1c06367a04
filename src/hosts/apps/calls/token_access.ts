/**
 * Using a stored token: read it (one KV read when valid), refresh it before
 * it expires (one refresh at a time per user and provider), and when the
 * provider refuses it for good, mark the connection broken and prompt the
 * user to reconnect.
 */
import type { CallRequest } from '../protocol/types.js';
import { getFreshToken } from '../../../oauth/token_manager.js';
import { isOAuthError } from '../../../oauth/errors.js';
import type { TokenSet } from '../../../oauth/types.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import { actingUser, botClient, userClient, userStateOf } from './context.js';
import type { Deps } from './deps.js';
import { UserFacingError } from '../../../core/errors.js';
import { md } from '../../../core/format.js';
import { openProvider } from './provider_access.js';
import { tokenSlot, userTokenStore } from './seal_slots.js';
import { TokenCipherError } from '../../../oauth/crypto.js';

const BROKEN = 'the provider no longer accepts the stored token (it was revoked or expired)';
/** A token sealed for another slot: most often the provider was moved to another address since the user connected. */
export const NOT_HERE =
  'the stored token does not belong here (the provider moved to another address since you connected, or the stored data was copied from elsewhere)';

export const isWrongBinding = (err: unknown): boolean => err instanceof TokenCipherError && err.reason === 'wrong_binding';

export function reconnectPrompt(req: CallRequest, stored: StoredProvider, reason: string): string {
  const link = req.context.oauth2?.connect_url;
  const how = link ? `[Reconnect your ${md(stored.display_name)} account](${link})` : `Reconnect with \`/oauth2 connect ${stored.id}\``;
  return `Your ${md(stored.display_name)} connection no longer works: ${reason}. ${how}.`;
}

/** Marks the connection broken and leaves the provider pending, so the reconnect link works at once. */
export async function markBroken(req: CallRequest, deps: Deps, stored: StoredProvider, reason: string): Promise<void> {
  const summary = userStateOf(req);
  const connection = summary.connections[stored.id];
  if (!connection) return;
  await userClient(req, deps).storeOAuth2User({
    ...summary,
    connections: { ...summary.connections, [stored.id]: { ...connection, broken: reason } },
    pending: { p: stored.id, at: deps.now() },
  });
  deps.reportIndex.record(botClient(req, deps), stored.id, actingUser(req).id, 'broken');
}

export interface TokenOptions {
  /** Refresh even if the token looks valid (the provider just refused it). */
  force?: boolean;
}

/** A usable token for the acting user at this provider, or a clear UserFacingError. */
export async function usableTokens(
  req: CallRequest,
  deps: Deps,
  stored: StoredProvider,
  config = openProvider(stored, deps),
  options: TokenOptions = {},
): Promise<TokenSet> {
  const user = actingUser(req);
  // A broken connection is never used to call the provider: only a reconnect replaces it.
  const broken = userStateOf(req).connections[stored.id]?.broken;
  if (broken) throw new UserFacingError(reconnectPrompt(req, stored, broken));
  const slot = tokenSlot(user.id, stored);
  const store = userTokenStore(req, deps);
  try {
    return await getFreshToken({
      key: `${user.id}:${stored.id}`,
      load: async () => {
        const tokens = await store.load(stored.id, slot);
        if (!tokens) throw new UserFacingError(`You are not connected to ${md(stored.display_name)}. Connect with \`/oauth2 connect ${stored.id}\`.`);
        return tokens;
      },
      save: (tokens) => store.save(stored.id, tokens, slot),
      refresh: (tokens) => deps.engine.refresh(config, tokens),
      now: deps.now,
      marginMs: deps.config.refreshMarginMs,
      force: options.force ?? false,
    });
  } catch (err) {
    const reason = isWrongBinding(err) ? NOT_HERE : isOAuthError(err, 'invalid_grant') ? BROKEN : undefined;
    if (!reason) throw err;
    await markBroken(req, deps, stored, reason);
    throw new UserFacingError(reconnectPrompt(req, stored, reason));
  }
}
