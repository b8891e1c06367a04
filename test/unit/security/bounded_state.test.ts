import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TtlCache } from '../../../packages/engine/src/ttl_cache.js';
import { startApp } from '../../support/app_server.js';
import { postRaw } from '../../security/support/signed.js';

describe('state that outsiders can grow stays bounded', () => {
  it('when discovery entries go stale, then they are evicted as new ones arrive', async () => {
    let t = 0;
    const cache = new TtlCache<string>(1000, () => t);
    for (let i = 0; i < 50; i += 1) await cache.get(`https://issuer-${i}.example`, async () => 'metadata');
    assert.equal(cache.size, 50);
    t = 5000;
    await cache.get('https://fresh.example', async () => 'metadata');
    assert.equal(cache.size, 1, 'the 50 stale entries are gone');
  });

  it('when many issuers are resolved within the TTL, then the cache keeps at most its bound, dropping the oldest', async () => {
    const cache = new TtlCache<string>(60_000, () => 0, 100);
    for (let i = 0; i < 1000; i += 1) await cache.get(`https://issuer-${i}.example`, async () => 'metadata');
    assert.ok(cache.size <= 100, `size ${cache.size}`);
    let loads = 0;
    await cache.get('https://issuer-999.example', async () => String((loads += 1)));
    assert.equal(loads, 0, 'the newest entry is still cached');
  });

  it('when a flood of calls with bad JWTs arrives, then a few warn lines are written and the rest only counted', async () => {
    const clock = { offsetMs: 0 };
    const app = await startApp({}, { now: () => Date.now() + clock.offsetMs });
    try {
      const refusedLines = () => app.logs.filter((l) => l.includes('"msg":"call refused'));
      for (let i = 0; i < 300; i += 1) {
        const answer = await postRaw(app.url, '/status', '{}', `Bearer not.a.jwt${i}`);
        assert.equal(answer.status, 401);
      }
      assert.equal(refusedLines().length, 10);
      clock.offsetMs = 61_000;
      await postRaw(app.url, '/status', '{}', 'Bearer still.not.valid');
      const summary = refusedLines().find((l) => l.includes('more not logged one by one'));
      assert.ok(summary, 'one summary line counts the rest');
      assert.equal(JSON.parse(summary).suppressed, 290);
    } finally {
      await app.close();
    }
  });
});
