import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PanelProvider } from '../../../src/hosts/apps/protocol/panel_types.js';
import { connectionState, describeConnection, formatRelative } from '../../../webapp/format.js';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const HOUR = 3_600_000;
const base: PanelProvider = { id: 'github', display_name: 'GitHub', preset: 'github', connected: false };

describe('describeConnection', () => {
  test('when connected with a label, date and expiry, then all three are shown', () => {
    const p = { ...base, connected: true, account_label: 'octocat', connected_at: Date.UTC(2025, 0, 5, 12), expires_at: NOW + 2 * HOUR };
    assert.equal(describeConnection(p, NOW, 'en-US'), 'Connected as octocat · since Jan 5, 2025 · token expires in 2 hours');
  });

  test('when the token has expired, then it says so in the past tense', () => {
    const p = { ...base, connected: true, account_label: 'octocat', expires_at: NOW - 5 * 60_000 };
    assert.equal(describeConnection(p, NOW, 'en-US'), 'Connected as octocat · token expired 5 minutes ago');
  });

  test('when connected without details, then it just says connected', () => {
    assert.equal(describeConnection({ ...base, connected: true }, NOW, 'en-US'), 'Connected');
  });

  test('when not connected, then it says so', () => {
    assert.equal(describeConnection(base, NOW, 'en-US'), 'Not connected');
    assert.equal(connectionState(base), 'not_connected');
  });

  test('when broken, then it asks for a reconnect with the reason, with or without one', () => {
    const broken = { ...base, connected: true, broken: true, broken_reason: 'the grant was revoked' };
    assert.equal(connectionState(broken), 'broken');
    assert.equal(describeConnection(broken, NOW), 'Needs reconnecting: the grant was revoked');
    assert.match(describeConnection({ ...broken, broken_reason: undefined }, NOW), /^Needs reconnecting: /);
  });
});

describe('formatRelative', () => {
  const cases: Array<[number, string]> = [
    [30_000, 'in less than a minute'],
    [-30_000, 'just now'],
    [90 * 60_000, 'in 2 hours'],
    [-3 * 86_400_000, '3 days ago'],
    [30 * 86_400_000, 'on Jul 15, 2025'],
  ];
  for (const [delta, text] of cases) {
    test(`when the time is ${delta} ms from now, then it reads "${text}"`, () => {
      assert.equal(formatRelative(NOW + delta, NOW, 'en-US'), text);
    });
  }
});
