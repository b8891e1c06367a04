import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { send } from '../../../packages/driver/src/http.js';
import { requireBaseUrl } from '../../../packages/engine/src/providers/preset.js';
import { trimTrailingSlashes } from '../../../src/util/trim_slashes.js';
import { trimTrailingSlashes as engineTrim } from '../../../packages/engine/src/util/trim_slashes.js';
import { trimTrailingSlashes as driverTrim } from '../../../packages/driver/src/util/trim_slashes.js';

// The service, the engine and the driver each carry the function (each package installs alone): one behaviour for all.
const COPIES = { service: trimTrailingSlashes, engine: engineTrim, driver: driverTrim };

// 100,000 slashes then a letter: /\/+$/ tries every start and backtracks over the run (about 5e9 steps,
// many seconds), while a linear trim takes well under a millisecond: a 1 s bound tells them apart even on a loaded machine.
const hostile = `http://127.0.0.1/${'/'.repeat(100_000)}x`;
const BOUND_MS = 1000;

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

describe('trailing-slash trim on unbounded input', () => {
  for (const [where, trim] of Object.entries(COPIES)) {
    it(`when slashes end a string, then the ${where}'s trim drops them and nothing else, in linear time`, () => {
      assert.equal(trim('https://a.example/x///'), 'https://a.example/x');
      assert.equal(trim('https://a.example'), 'https://a.example');
      assert.equal(trim('///'), '');
      const ms = timed(() => trim(hostile));
      assert.ok(ms < BOUND_MS, `took ${Math.round(ms)} ms`);
    });
  }

  it('when a site URL is a long run of slashes followed by a letter, then the Mattermost driver builds its URL in linear time', async () => {
    let seen = '';
    const fetch = (async (url: string) => {
      seen = url;
      return new Response('{}');
    }) as unknown as typeof globalThis.fetch;
    const started = performance.now();
    await send({ siteUrl: hostile, token: 't', fetch }, { method: 'GET', path: '/api/v4/users/me' });
    assert.ok(performance.now() - started < BOUND_MS, `took ${Math.round(performance.now() - started)} ms`);
    assert.ok(seen.endsWith('x/api/v4/users/me'));
  });

  it('when a provider base URL is hostile, then it is trimmed in linear time', () => {
    const ms = timed(() => requireBaseUrl({ id: 'p', preset: 'gitlab', base_url: hostile } as never));
    assert.ok(ms < BOUND_MS, `took ${Math.round(ms)} ms`);
  });
});
