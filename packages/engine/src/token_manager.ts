/**
 * A valid access token for a stored connection: the stored one while it lasts,
 * otherwise one refresh per key at a time (concurrent callers share it), with
 * the rotated tokens saved before anyone gets them.
 * https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 (refresh token rotation)
 */
import { toOAuthError } from './error_mapping.js';
import { type SingleFlight, singleFlight } from './single_flight.js';
import { isFresh } from './token_set.js';
import type { TokenSet } from './types.js';

export interface FreshTokenInput {
  /** One key per connection, e.g. `${userId}/${providerId}`. */
  key: string;
  /** Reads the stored tokens (decrypted). */
  load(): Promise<TokenSet>;
  /** Stores the refreshed tokens (encrypt them); awaited before callers get them. */
  save(tokens: TokenSet): Promise<void>;
  /** The refresh itself, usually `(tokens) => engine.refresh(config, tokens)`. */
  refresh(tokens: TokenSet): Promise<TokenSet>;
  /** The clock, in epoch ms (default Date.now). */
  now?(): number;
  /** Refresh when the token expires within this many ms (default 60000). */
  marginMs?: number;
  /** Refresh even if the stored token looks valid (the provider just refused it). */
  force?: boolean;
  /** Where in-flight refreshes are shared; one per process by default. */
  flights?: SingleFlight;
}

const processFlights = singleFlight();
const DEFAULT_MARGIN_MS = 60_000;
type Defaulted = FreshTokenInput & Required<Pick<FreshTokenInput, 'now' | 'marginMs'>>;

/**
 * The stored token if it is valid for longer than the margin, else a refreshed one.
 * Throws OAuthError('invalid_grant') when the refresh token is refused (mark the
 * connection broken) and OAuthError('provider_unavailable') when the provider
 * cannot be reached (the stored token is left as it was).
 */
export async function getFreshToken(options: FreshTokenInput): Promise<TokenSet> {
  const input: Defaulted = { ...options, now: options.now ?? Date.now, marginMs: options.marginMs ?? DEFAULT_MARGIN_MS };
  const seen = await input.load();
  if (!input.force && isFresh(seen, input.now(), input.marginMs)) return seen;
  return (input.flights ?? processFlights).run(input.key, () => refreshStored(input, seen));
}

async function refreshStored(input: Defaulted, seen: TokenSet): Promise<TokenSet> {
  // A caller that read the old token just before the last refresh finished lands here: reuse that result.
  const current = await input.load();
  const replaced = current.access_token !== seen.access_token;
  if (isFresh(current, input.now(), input.marginMs) && (replaced || !input.force)) return current;
  let refreshed: TokenSet;
  try {
    refreshed = await input.refresh(current);
  } catch (err) {
    throw toOAuthError(err, 'refresh', [current.access_token, current.refresh_token]);
  }
  await saveRotated(input, refreshed);
  return refreshed;
}

const SAVE_ATTEMPTS = 3;

/** The provider may have rotated the refresh token already: losing this write loses the connection, so a failed write is retried. */
async function saveRotated(input: Defaulted, tokens: TokenSet): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await input.save(tokens);
    } catch (err) {
      if (attempt >= SAVE_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 150 * attempt));
    }
  }
}
