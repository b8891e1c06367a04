/**
 * The secrets of a security run, and the check that no log line of any App
 * started in it contains one: client secrets, tokens the providers issued
 * (read back by decrypting the fake's KV), the JWT secret, the encryption keys.
 */
import assert from 'node:assert/strict';
import type { RunningApp } from '../../support/app_server.js';
import type { FakeState } from '../../support/fake_plugin/state.js';
import { openTokens } from '../../support/sealed_slots.js';

/** Shorter strings could match by chance; every secret of the run is longer. */
const MIN_LENGTH = 12;

export class SecretAudit {
  readonly secrets = new Set<string>();
  readonly apps: RunningApp[] = [];

  /** Secrets by their first MIN_LENGTH characters, so a text is searched in one pass whatever their number. */
  private readonly byPrefix = new Map<string, string[]>();

  add(...values: Array<string | undefined>): void {
    for (const v of values) {
      if (!v || v.length < MIN_LENGTH || this.secrets.has(v)) continue;
      this.secrets.add(v);
      const prefix = v.slice(0, MIN_LENGTH);
      this.byPrefix.set(prefix, [...(this.byPrefix.get(prefix) ?? []), v]);
    }
  }

  /** The first secret found in `text`, if any. */
  leakIn(text: string): string | undefined {
    for (let i = 0; i + MIN_LENGTH <= text.length; i += 1) {
      const candidates = this.byPrefix.get(text.slice(i, i + MIN_LENGTH));
      const found = candidates?.find((s) => text.startsWith(s, i));
      if (found) return found;
    }
    return undefined;
  }

  watch(app: RunningApp): RunningApp {
    this.apps.push(app);
    this.add(...app.secrets, ...app.config.encryptionKeys.map((k) => k.key.toString('base64')));
    return app;
  }

  /** Every token sealed in the fake's KV, opened with the App's key (as an attacker with the key would). */
  collectTokens(state: FakeState, app: RunningApp): number {
    let found = 0;
    for (const [key, raw] of state.kv) {
      if (!key.includes('\u0000t\u0000')) continue;
      const [userId = '', , providerId = ''] = key.split('\u0000');
      try {
        const record = JSON.parse(raw) as { s?: string };
        if (typeof record.s !== 'string') continue;
        const tokens = openTokens(app.deps.sealer, state.oauth2App?.data, userId, providerId, record.s);
        this.add(tokens.access_token, tokens.refresh_token, tokens.id_token);
        found += 1;
      } catch {
        // Sealed with a key this App does not hold: the secrets were collected when it was readable.
      }
    }
    return found;
  }

  /** Lines of every watched App that contain a secret (none expected). */
  leaks(): string[] {
    return this.apps.flatMap((a) => a.logs).filter((line) => this.leakIn(line) !== undefined);
  }

  /** Fails the test when a secret appears in a log line; prints the figures. */
  assertClean(label: string): void {
    const lines = this.apps.reduce((n, a) => n + a.logs.length, 0);
    const leaks = this.leaks();
    console.log(`[security] ${label}: ${lines} log lines scanned for ${this.secrets.size} secrets: ${leaks.length} leaks`);
    assert.deepEqual(
      leaks.map((l) => l.slice(0, 300)),
      [],
      'no log line contains a secret',
    );
  }
}
