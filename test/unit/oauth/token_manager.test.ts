import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OAuthError } from '../../../packages/engine/src/errors.js';
import { singleFlight } from '../../../packages/engine/src/single_flight.js';
import { getFreshToken } from '../../../packages/engine/src/token_manager.js';
import type { TokenSet } from '../../../packages/engine/src/types.js';

const NOW = 1_000_000;
const MARGIN = 60_000;

function token(name: string, expiresAt: number | undefined): TokenSet {
  const tokens: TokenSet = { access_token: `at-${name}`, refresh_token: `rt-${name}`, token_type: 'bearer', obtained_at: NOW - 1000 };
  if (expiresAt !== undefined) tokens.expires_at = expiresAt;
  return tokens;
}

/** An in-memory store and a refresh stub that records its calls. */
function harness(initial: TokenSet, refresh: (tokens: TokenSet) => Promise<TokenSet>) {
  const state = { stored: initial, saves: 0, refreshes: 0 };
  const input = {
    key: 'user-1:github',
    load: async () => state.stored,
    save: async (tokens: TokenSet) => {
      state.saves += 1;
      state.stored = tokens;
    },
    refresh: async (tokens: TokenSet) => {
      state.refreshes += 1;
      return refresh(tokens);
    },
    now: () => NOW,
    marginMs: MARGIN,
    flights: singleFlight(),
  };
  return { state, input };
}

describe('singleFlight', () => {
  it('when two calls for one key overlap, then the work runs once and both get its result', async () => {
    const flights = singleFlight();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return runs;
    };
    assert.deepEqual(await Promise.all([flights.run('a', work), flights.run('a', work)]), [1, 1]);
    assert.equal(flights.size, 0);
  });

  it('when calls use different keys or come after the first ended, then each runs', async () => {
    const flights = singleFlight();
    let runs = 0;
    const work = async () => ++runs;
    await Promise.all([flights.run('a', work), flights.run('b', work)]);
    await flights.run('a', work);
    assert.equal(runs, 3);
  });

  it('when the shared work fails, then every caller sees the failure and the next call runs again', async () => {
    const flights = singleFlight();
    const failing = async () => Promise.reject(new Error('boom'));
    const results = await Promise.allSettled([flights.run('a', failing), flights.run('a', failing)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(await flights.run('a', async () => 'ok'), 'ok');
  });
});

describe('getFreshToken', () => {
  it('when the stored token is valid beyond the margin, then it is returned without a refresh', async () => {
    const { state, input } = harness(token('old', NOW + MARGIN + 1), async () => assert.fail('no refresh expected'));
    assert.equal((await getFreshToken(input)).access_token, 'at-old');
    assert.equal(state.refreshes, 0);
  });

  it('when the stored token has no expiry, then it is returned as it is', async () => {
    const { state, input } = harness(token('forever', undefined), async () => assert.fail('no refresh expected'));
    assert.equal((await getFreshToken(input)).access_token, 'at-forever');
    assert.equal(state.refreshes, 0);
  });

  it('when the token expires within the margin, then it is refreshed and saved before the caller gets it', async () => {
    const { state, input } = harness(token('old', NOW + MARGIN - 1), async () => token('new', NOW + 3_600_000));
    const fresh = await getFreshToken(input);
    assert.equal(fresh.access_token, 'at-new');
    assert.equal(state.saves, 1);
    assert.equal(state.stored.access_token, 'at-new');
  });

  it('when many callers ask at once for an expired token, then one refresh serves them all', async () => {
    const { state, input } = harness(token('old', NOW - 1), async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return token('new', NOW + 3_600_000);
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => getFreshToken(input)));
    assert.ok(results.every((t) => t.access_token === 'at-new'));
    assert.equal(state.refreshes, 1);
    assert.equal(state.saves, 1);
  });

  it('when a caller read the old token just before a refresh finished, then it reuses the saved one', async () => {
    const { state, input } = harness(token('old', NOW - 1), async () => token('new', NOW + 3_600_000));
    await getFreshToken(input);
    let loads = 0;
    // First load: the token as read before the refresh; second load (inside the flight): what was saved.
    const late = { ...input, load: async () => (loads++ === 0 ? token('old', NOW - 1) : state.stored) };
    assert.equal((await getFreshToken(late)).access_token, 'at-new');
    assert.equal(state.refreshes, 1);
  });

  it('when forced on a valid token, then it refreshes once even though the token looks fresh', async () => {
    const { state, input } = harness(token('old', NOW + 3_600_000), async () => token('new', NOW + 3_600_000));
    assert.equal((await getFreshToken({ ...input, force: true })).access_token, 'at-new');
    assert.equal(state.refreshes, 1);
  });

  it('when the refresh token is refused, then invalid_grant is thrown and nothing is saved', async () => {
    const refused = new OAuthError('invalid_grant', 'The connection has expired.');
    const { state, input } = harness(token('old', NOW - 1), async () => Promise.reject(refused));
    await assert.rejects(getFreshToken(input), (err: unknown) => err instanceof OAuthError && err.code === 'invalid_grant');
    assert.equal(state.saves, 0);
  });

  it('when the provider is unreachable, then provider_unavailable is thrown and the stored token stays', async () => {
    const original = token('old', NOW - 1);
    const { state, input } = harness(original, async () => Promise.reject(new TypeError('fetch failed')));
    await assert.rejects(getFreshToken(input), (err: unknown) => err instanceof OAuthError && err.code === 'provider_unavailable');
    assert.equal(state.stored, original);
    assert.equal(state.saves, 0);
  });
});
