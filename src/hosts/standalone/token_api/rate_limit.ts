/**
 * Per-client rate limits: a token bucket per client, as large as its rate per
 * minute and refilled over a minute. The buckets live in the process, so with
 * several replicas each one allows the full rate (a client's ceiling is the
 * rate times the replicas it reaches); docs/token-api.md says so.
 */

const MAX_CLIENTS = 10_000;

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one request is allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export class ClientRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; rate: number }>();

  take(clientId: string, perMinute: number, now: number): RateDecision {
    const perMs = perMinute / 60_000;
    const bucket = this.buckets.get(clientId);
    const tokens = bucket && bucket.rate === perMinute ? Math.min(perMinute, bucket.tokens + Math.max(0, now - bucket.at) * perMs) : perMinute;
    if (tokens >= 1) {
      this.keep(clientId, { tokens: tokens - 1, at: now, rate: perMinute });
      return { allowed: true, retryAfterSeconds: 0 };
    }
    this.keep(clientId, { tokens, at: now, rate: perMinute });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
  }

  private keep(clientId: string, bucket: { tokens: number; at: number; rate: number }): void {
    this.buckets.delete(clientId);
    this.buckets.set(clientId, bucket);
    // Removed clients' buckets go first: the oldest entry is the longest unused.
    if (this.buckets.size > MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
