/**
 * The per-client rate limit across replicas on one database: at most the
 * client's rate per minute window (windows start on the minute of the
 * replicas' clocks) for the whole service, without a write per request. Each
 * replica takes its part of a window from the shared count in chunks (a
 * twentieth of the rate, at least 1; db/rate_window_store.ts never lets the
 * count pass the rate) and spends them locally; so the database is written
 * at most about 20 times a window per client and replica, and a replica that
 * found the window spent refuses without asking again until the next one.
 * Each replica's own bucket (rate_limit.ts) still smooths bursts, as on
 * SQLite. A chunk a replica holds and gets no more requests for is not used
 * by the others: the client may get up to a chunk per other replica less
 * than its rate in that window, never more.
 */
import type { RateWindowClaims } from '../ports.js';
import { ClientRateLimiter, type RateDecision } from './rate_limit.js';

export const WINDOW_MS = 60_000;
/** A claim takes this part of the rate, so each replica claims about this many times a window at most. */
const CLAIMS_PER_WINDOW = 20;
const MAX_CLIENTS = 10_000;

/** How many requests a replica takes from the shared count at once. */
export function chunkOf(perMinute: number): number {
  return Math.max(1, Math.ceil(perMinute / CLAIMS_PER_WINDOW));
}

/** What this replica holds of a client's current window. */
interface WindowShare {
  window: number;
  /** Requests claimed and not yet spent. */
  left: number;
  /** The shared count reached the rate: refuse until the next window. */
  spent: boolean;
  /** The claim under way, which concurrent requests wait for instead of claiming too. */
  claiming?: Promise<void>;
}

export class SharedRateLimiter {
  private readonly bucket = new ClientRateLimiter();
  private readonly shares = new Map<string, WindowShare>();

  constructor(private readonly claims: RateWindowClaims) {}

  /** The decision, at once when this replica's share answers it; after a claim on the shared count otherwise. */
  take(clientId: string, perMinute: number, now: number): RateDecision | Promise<RateDecision> {
    const share = this.shareOf(clientId, Math.floor(now / WINDOW_MS));
    if (share.left > 0) {
      const decision = this.bucket.take(clientId, perMinute, now);
      if (decision.allowed) share.left -= 1;
      return decision;
    }
    // Neither a request the bucket refuses nor one of a spent window is worth a claim.
    const wait = this.bucket.wait(clientId, perMinute, now);
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
    if (share.spent) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((share.window + 1) * WINDOW_MS - now) / 1000)) };
    share.claiming ??= this.claim(clientId, share, perMinute).finally(() => {
      share.claiming = undefined;
    });
    return share.claiming.then(() => this.take(clientId, perMinute, now));
  }

  private async claim(clientId: string, share: WindowShare, perMinute: number): Promise<void> {
    const granted = await this.claims.claim({ clientId, windowStart: share.window * WINDOW_MS, chunk: chunkOf(perMinute), rate: perMinute });
    if (granted > 0) share.left += granted;
    else share.spent = true;
  }

  /** The client's share of the window; a new one when the window moved on (a request of an earlier window uses the current one). */
  private shareOf(clientId: string, window: number): WindowShare {
    const share = this.shares.get(clientId);
    if (share && share.window >= window) return share;
    const fresh: WindowShare = { window, left: 0, spent: false };
    this.shares.delete(clientId);
    this.shares.set(clientId, fresh);
    // The oldest entry began its window first: it is the longest unused.
    if (this.shares.size > MAX_CLIENTS) this.shares.delete(this.shares.keys().next().value as string);
    return fresh;
  }
}
