/**
 * Using a stored token: a fresh one as the caller just read it, else read it
 * inside the connection's lock (one read when valid), refresh it before it
 * expires, and when the provider refuses it for good, mark the connection
 * broken and prompt the user to reconnect. A broken connection is never used
 * to call the provider: only a reconnect replaces it. Each use is recorded
 * where the storage keeps it, at most hourly, for the keep-alive pass.
 */
import {
  TokenCipherError,
  isOAuthError,
  getFreshToken,
  isFresh,
  providerOrigin,
  type FreshTokenInput,
  type ProviderConfig,
  type TokenSet,
} from '@oauth2-connect/engine';
import { UserFacingError } from './errors.js';
import { md } from './format.js';
import type { ConnectionRow } from './ports.js';
import type { StoredProvider } from './provider_records.js';
import { openProvider } from './providers.js';
import type { CoreDeps, CoreRequest } from './request.js';

/** Why a connection the provider refused to refresh (invalid_grant) is marked broken. */
export const BROKEN = 'the provider no longer accepts the stored token (it was revoked or expired)';
/** A token sealed for another slot: most often the provider was moved to another address since the user connected. */
export const NOT_HERE =
  'the stored token does not belong here (the provider moved to another address since you connected, or the stored data was copied from elsewhere)';

/** Whether the row's tokens were issued where the provider is now: tokens go only to the origin that issued them. */
export const issuedHere = (row: ConnectionRow, config: ProviderConfig): boolean => row.origin === providerOrigin(config);

export const isWrongBinding = (err: unknown): boolean => err instanceof TokenCipherError && err.reason === 'wrong_binding';

export const notConnected = (stored: StoredProvider): string =>
  `You are not connected to ${md(stored.display_name)}. Connect with \`/oauth2 connect ${stored.id}\`.`;

export async function reconnectPrompt(req: CoreRequest, stored: StoredProvider, reason: string): Promise<string> {
  return `Your ${md(stored.display_name)} connection no longer works: ${reason}. ${await req.host.connectHint(stored.id)}.`;
}

/** Marks the connection broken and answers the reconnect prompt to throw. */
export async function breakConnection(req: CoreRequest, stored: StoredProvider, reason: string): Promise<UserFacingError> {
  await req.connections.markBroken(req.user.id, stored.id, reason);
  return new UserFacingError(await reconnectPrompt(req, stored, reason));
}

export interface TokenOptions {
  /** Refresh even if the token looks valid (the provider just refused it). */
  force?: boolean;
  /**
   * The row as the caller read it a moment ago, with the user's view. Its token is used as it is while it
   * is fresh: only a refresh needs the lock and the read inside it. Its broken mark is not read again.
   */
  row?: ConnectionRow;
}

/** The row's token when it can be used as read: not forced, fresh, issued where the provider is now. */
function readyTokens(deps: CoreDeps, config: ProviderConfig, options: TokenOptions): TokenSet | undefined {
  const row = options.row;
  if (!row || options.force || !issuedHere(row, config) || !isFresh(row.tokens, deps.now(), deps.settings.refreshMarginMs)) return undefined;
  deps.logger.addSecrets(row.tokens.access_token, row.tokens.refresh_token, row.tokens.id_token);
  return row.tokens;
}

/** A usable token for the user at this provider, or a clear UserFacingError. */
export async function usableTokens(
  req: CoreRequest,
  deps: CoreDeps,
  stored: StoredProvider,
  config: ProviderConfig = openProvider(stored, deps),
  options: TokenOptions = {},
): Promise<TokenSet> {
  const broken = options.row ? options.row.connection.broken : (await req.connections.summaries(req.user.id))[stored.id]?.broken;
  if (broken) throw new UserFacingError(await reconnectPrompt(req, stored, broken));
  const ready = readyTokens(deps, config, options);
  if (ready) {
    await recordUse(req, deps, options.row);
    return ready;
  }
  try {
    return await lockedTokens(req, deps, stored, config, options.force ?? false);
  } catch (err) {
    const reason = isWrongBinding(err) ? NOT_HERE : isOAuthError(err, 'invalid_grant') ? BROKEN : undefined;
    if (!reason) throw err;
    throw await breakConnection(req, stored, reason);
  }
}

/** The row re-read inside the lock: another caller may have refreshed (or broken) it meanwhile. */
function lockedTokens(req: CoreRequest, deps: CoreDeps, stored: StoredProvider, config: ProviderConfig, force: boolean): Promise<TokenSet> {
  const userId = req.user.id;
  return req.connections.withLock(userId, stored.id, async () => {
    const row = await req.connections.get(userId, stored.id);
    if (!row) throw new UserFacingError(notConnected(stored));
    if (row.connection.broken) throw new UserFacingError(await reconnectPrompt(req, stored, row.connection.broken));
    // Tokens go only to the origin that issued them: after a provider moved, neither a refresh nor a call may reach the new
    // origin. (Where tokens are sealed to the provider's current origin they fail to open first; a host that stores the
    // issuing origin with the row, as the standalone host does, opens them fine, so the comparison is made here.)
    if (!issuedHere(row, config)) throw await breakConnection(req, stored, NOT_HERE);
    const tokens = await getFreshToken(freshTokenInput(req, deps, stored, config, row, force));
    // A refresh recorded the use with the new tokens; the stored token used as it was is recorded here.
    if (tokens === row.tokens) await recordUse(req, deps, row);
    return tokens;
  });
}

/**
 * The engine's single-flight refresh of this row's tokens (one per key in the process, inside the lock
 * across processes), starting from the row as read inside the lock. The keep-alive pass refreshes through it too.
 */
export function freshTokenInput(
  req: CoreRequest,
  deps: CoreDeps,
  stored: StoredProvider,
  config: ProviderConfig,
  row: ConnectionRow,
  force: boolean,
): FreshTokenInput {
  const userId = req.user.id;
  let first: TokenSet | undefined = row.tokens;
  return {
    key: `${userId}:${stored.id}`,
    // The engine re-reads before refreshing: a refresh that just finished elsewhere is reused, not repeated.
    load: async () => {
      const tokens = first ?? (await req.connections.get(userId, stored.id))?.tokens;
      first = undefined;
      if (!tokens) throw new UserFacingError(notConnected(stored));
      deps.logger.addSecrets(tokens.access_token, tokens.refresh_token, tokens.id_token);
      return tokens;
    },
    save: async (tokens) => {
      deps.logger.addSecrets(tokens.access_token, tokens.refresh_token, tokens.id_token);
      await req.connections.saveTokens(userId, stored.id, tokens);
    },
    refresh: (tokens) => deps.engine.refresh(config, tokens),
    now: deps.now,
    marginMs: deps.settings.refreshMarginMs,
    force,
  };
}

/** How stale a connection's recorded last use may get before a use writes it again: one write an hour, not one per command. */
export const USE_RECORD_SPACING_MS = 60 * 60_000;

/**
 * Records the use where the storage keeps it and the recorded one is over an hour old. Best effort: the
 * user's call goes on if the write fails (the keep-alive pass at worst refreshes a token early).
 */
async function recordUse(req: CoreRequest, deps: CoreDeps, row: ConnectionRow | undefined): Promise<void> {
  const at = deps.now();
  if (!req.connections.recordUse || row?.used_at === undefined || at - row.used_at < USE_RECORD_SPACING_MS) return;
  await req.connections
    .recordUse(row.user_id, row.provider_id, at)
    .catch((err: unknown) => deps.logger.warn('recording a connection use failed', { error: err }));
}
