/**
 * Round-trip budgets per operation (bench/README.md), counted at the fake Apps plugin
 * and at the real OpenID provider, so that an extra call fails CI. The same
 * counts are printed by `npm run bench` (test/support/round_trips.ts measures both).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { measureRoundTrips, type RoundTrips } from '../support/round_trips.js';

let counts: RoundTrips;
const mattermostCalls = (op: keyof RoundTrips) => counts[op].storage + counts[op].mattermost;
const details = (op: keyof RoundTrips) => `${op}: ${JSON.stringify(counts[op].calls)} provider ${JSON.stringify(counts[op].provider)}`;

describe('outbound round trips per operation', () => {
  before(async () => {
    counts = await measureRoundTrips();
  });

  it('when the plugin asks for bindings, then the App calls no one', () => {
    assert.equal(mattermostCalls('bindings') + counts.bindings.background, 0, details('bindings'));
    assert.deepEqual(counts.bindings.provider, {}, details('bindings'));
  });

  it('when a user connects, then the command and /oauth2/connect make 2 storage calls, plus the DM channel once per user', () => {
    for (const op of ['connect (first)', 'connect (again)'] as const) {
      assert.equal(counts[op].storage, 2, details(op));
      assert.deepEqual(counts[op].provider, {}, details(op));
    }
    assert.equal(counts['connect (first)'].mattermost, 1, details('connect (first)'));
    assert.equal(counts['connect (again)'].mattermost, 0, details('connect (again)'));
  });

  it('when the flow completes, then 1 token request and 3 Mattermost calls; the report index writes in the background', () => {
    for (const op of ['complete (first)', 'complete (again)'] as const) {
      assert.equal(counts[op].provider.token, 1, details(op));
      assert.equal(counts[op].provider.userinfo, 1, details(op));
      assert.ok(mattermostCalls(op) <= 3, details(op));
      assert.ok(counts[op].background <= 2, details(op));
      assert.equal(counts[op].provider.discovery, undefined, details(op));
    }
    assert.equal(counts['complete (first)'].provider.jwks, 1, details('complete (first)'));
    assert.equal(counts['complete (again)'].provider.jwks, undefined, 'the JWKS is cached');
  });

  it('when a valid token is used, then it costs 1 KV read and no token request', () => {
    const op = 'use a valid token';
    assert.equal(mattermostCalls(op), 1, details(op));
    assert.equal(counts[op].reads, 1, details(op));
    assert.equal(counts[op].provider.token, undefined, details(op));
  });

  it('when the token has expired, then 1 refresh request and 1 write (and the re-read that guards concurrent refreshes)', () => {
    const op = 'refresh';
    assert.equal(counts[op].provider.token, 1, details(op));
    assert.equal(counts[op].provider.refresh, 1, details(op));
    assert.equal(counts[op].writes, 1, details(op));
    assert.ok(counts[op].reads <= 2, details(op));
    assert.equal(counts[op].mattermost + counts[op].background, 0, details(op));
  });
});
