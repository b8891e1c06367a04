/**
 * The per-client rate limit shared by replicas: each replica takes chunks of
 * the client's count per minute window from the shared store and spends them
 * itself, so across replicas a client gets its rate per window and no more,
 * with a claim (a database write) per chunk, not per request. The store here
 * keeps the SQL statement's rule in memory; the clock is each call's `now`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateWindowClaims, WindowClaim } from '../../../src/hosts/standalone/ports.js';
import { chunkOf, SharedRateLimiter, WINDOW_MS } from '../../../src/hosts/standalone/token_api/shared_rate_limit.js';
import type { RateDecision } from '../../../src/hosts/standalone/token_api/rate_limit.js';

/** The rate_window_store statement's rule: add at most the chunk, never past the rate, only while below it. */
class MemoryWindows implements RateWindowClaims {
  readonly used = new Map<string, number>();
  claims: WindowClaim[] = [];
  failing = false;
  async claim(claim: WindowClaim): Promise<number> {
    this.claims.push(claim);
    if (this.failing) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const key = `${claim.clientId}@${claim.windowStart}`;
    const used = this.used.get(key) ?? 0;
    const granted = Math.max(0, Math.min(claim.chunk, claim.rate - used));
    this.used.set(key, used + granted);
    return granted;
  }
}

const decide = async (limiter: SharedRateLimiter, rate: number, now: number, client = 'bot'): Promise<RateDecision> => limiter.take(client, rate, now);

describe('the rate limit shared by replicas', () => {
  it('takes a twentieth of the rate per claim, at least one', () => {
    assert.deepEqual([1, 19, 20, 21, 60, 100_000].map(chunkOf), [1, 1, 1, 2, 3, 5000]);
  });

  it('when two replicas serve a client in turn, then it gets exactly its rate in the window, then both refuse until the next window', async () => {
    const windows = new MemoryWindows();
    const replicas = [new SharedRateLimiter(windows), new SharedRateLimiter(windows)];
    const start = 7 * WINDOW_MS + 15_000;
    const answers: RateDecision[] = [];
    for (let i = 0; i < 60; i += 1) answers.push(await decide(replicas[i % 2]!, 40, start + i * 10));
    assert.equal(answers.filter((a) => a.allowed).length, 40);
    assert.ok(
      answers.slice(40).every((a) => !a.allowed && a.retryAfterSeconds === 45),
      'refused on both, with the seconds to the next window',
    );
    assert.equal(windows.used.get(`bot@${7 * WINDOW_MS}`), 40, 'the shared count stops at the rate');
    const claimsThisWindow = windows.claims.length;
    assert.ok(claimsThisWindow <= 2 * (40 / chunkOf(40) + 1), `a claim per chunk, not per request (${claimsThisWindow})`);

    assert.equal((await decide(replicas[0]!, 40, start + 10_000)).allowed, false);
    assert.equal(windows.claims.length, claimsThisWindow, 'a replica that found the window spent does not ask again in it');

    const next = 8 * WINDOW_MS + 1;
    assert.deepEqual(await decide(replicas[0]!, 40, next), { allowed: true, retryAfterSeconds: 0 });
    assert.deepEqual(await decide(replicas[1]!, 40, next), { allowed: true, retryAfterSeconds: 0 });
    assert.equal(windows.claims.at(-1)!.windowStart, 8 * WINDOW_MS);
  });

  it('when a replica spends its chunk, then it writes again only for the next chunk', async () => {
    const windows = new MemoryWindows();
    const limiter = new SharedRateLimiter(windows);
    for (let i = 0; i < 100; i += 1) assert.equal((await decide(limiter, 1000, i)).allowed, true);
    assert.deepEqual(
      windows.claims.map((c) => c.chunk),
      [50, 50],
      '100 requests at a rate of 1000: two claims of 50',
    );
  });

  it('when requests arrive together with nothing claimed, then they wait for one claim instead of each making its own', async () => {
    const windows = new MemoryWindows();
    const limiter = new SharedRateLimiter(windows);
    const answers = await Promise.all(Array.from({ length: 5 }, () => limiter.take('bot', 100, 0)));
    assert.ok(answers.every((a) => a.allowed));
    assert.equal(windows.claims.length, 1, 'one claim of 5 served all five');
  });

  it("when the replica's own bucket is empty, then it refuses with the bucket's wait, though the new window has room", async () => {
    const windows = new MemoryWindows();
    const limiter = new SharedRateLimiter(windows);
    for (let i = 0; i < 3; i += 1) assert.equal((await decide(limiter, 3, WINDOW_MS - 1000)).allowed, true);
    assert.deepEqual(await decide(limiter, 3, WINDOW_MS - 1000), { allowed: false, retryAfterSeconds: 20 });
    // One second later the window is new, but the bucket has refilled only a twentieth of a request.
    assert.deepEqual(await decide(limiter, 3, WINDOW_MS), { allowed: false, retryAfterSeconds: 19 });
    assert.equal((await decide(limiter, 3, WINDOW_MS + 20_000)).allowed, true);
  });

  it('when an admin lowers the rate, then the next claim holds the window to the new rate', async () => {
    const windows = new MemoryWindows();
    const limiter = new SharedRateLimiter(windows);
    const allowedOf = async (rate: number, count: number) => {
      let allowed = 0;
      for (let i = 0; i < count; i += 1) if ((await decide(limiter, rate, 1000 + i)).allowed) allowed += 1;
      return allowed;
    };
    assert.equal(await allowedOf(100, 10), 10, 'two claims of 5 at 100 a minute');
    assert.equal(await allowedOf(10, 10), 0, 'the window has 10 already: nothing more at 10 a minute');
    assert.equal(windows.used.get('bot@0'), 10);
  });

  it('when the shared store cannot be reached, then the request fails with its error and the next one claims again', async () => {
    const windows = new MemoryWindows();
    const limiter = new SharedRateLimiter(windows);
    windows.failing = true;
    await assert.rejects(decide(limiter, 60, 0), { code: 'ECONNREFUSED' });
    windows.failing = false;
    assert.equal((await decide(limiter, 60, 1)).allowed, true);
    assert.equal(windows.claims.length, 2);
  });

  it('keeps each client to its own window', async () => {
    const windows = new MemoryWindows();
    const limiter = new SharedRateLimiter(windows);
    assert.equal((await decide(limiter, 1, 0, 'a')).allowed, true);
    assert.equal((await decide(limiter, 1, 0, 'a')).allowed, false);
    assert.equal((await decide(limiter, 1, 0, 'b')).allowed, true);
  });
});
