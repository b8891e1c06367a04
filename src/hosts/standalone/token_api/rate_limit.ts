/**
 * Per-client rate limits: a token bucket per client, as large as its rate per
 * minute and refilled over a minute. The buckets live in the process: on
 * SQLite (one process) that is the limit; on PostgreSQL each replica keeps one
 * and shared_rate_limit.ts adds the replicas' shared count per minute window.
 */
import type { RateDecision } from '../deps.js';

export type { RateDecision };

const MAX_CLIENTS = 10_000;

const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterSeconds: 0 });

interface Bucket {
  tokens: number;
  at: number;
  rate: number;
}

export class ClientRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  take(clientId: string, perMinute: number, now: number): RateDecision {
    const tokens = this.tokens(clientId, perMinute, now);
    if (tokens >= 1) {
      this.keep(clientId, { tokens: tokens - 1, at: now, rate: perMinute });
      return ALLOWED;
    }
    this.keep(clientId, { tokens, at: now, rate: perMinute });
    return { allowed: false, retryAfterSeconds: waitFor(tokens, perMinute) };
  }

  /** Whole seconds until the client's bucket allows a request (0: it does now); takes nothing. */
  wait(clientId: string, perMinute: number, now: number): number {
    const tokens = this.tokens(clientId, perMinute, now);
    return tokens >= 1 ? 0 : waitFor(tokens, perMinute);
  }

  private tokens(clientId: string, perMinute: number, now: number): number {
    const bucket = this.buckets.get(clientId);
    return bucket && bucket.rate === perMinute ? Math.min(perMinute, bucket.tokens + Math.max(0, now - bucket.at) * (perMinute / 60_000)) : perMinute;
  }

  private keep(clientId: string, bucket: Bucket): void {
    this.buckets.delete(clientId);
    this.buckets.set(clientId, bucket);
    // Removed clients' buckets go first: the oldest entry is the longest unused.
    if (this.buckets.size > MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}

function waitFor(tokens: number, perMinute: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) * 60_000) / perMinute / 1000));
}
