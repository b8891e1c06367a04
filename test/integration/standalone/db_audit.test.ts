/**
 * The audit trail's rows on SQLite and PostgreSQL: read newest first, by
 * provider or by user, at most the limit; pruned past the retention in
 * bounded batches, the newer kept; and the database's statements timed into
 * the service's metrics.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../../src/core/audit.js';
import { SqlAuditStore } from '../../../src/hosts/standalone/db/index.js';
import { AUDIT_PRUNE_BATCH, pruneAudit } from '../../../src/hosts/standalone/service/audit_wiring.js';
import { ServiceMetrics } from '../../../src/metrics/service_metrics.js';
import { metricValue, parseMetrics } from '../../support/metrics_text.js';
import { BACKENDS, createScratch, onEachBackend } from '../../support/standalone_db.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6);

const entry = (at: number, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  at,
  actor_user_id: 'admin1',
  action: 'provider.add',
  target: 'corp',
  outcome: 'ok',
  detail: '',
  ...fields,
});

onEachBackend('the audit store', ({ database }) => {
  it('when entries are read, then they come newest first, filtered by provider and by user, at most the limit', async () => {
    const store = new SqlAuditStore(database().db);
    await store.insert(entry(NOW - 3000, { target: 'corp' }));
    await store.insert(entry(NOW - 2000, { target: 'gh', action: 'provider.edit', detail: 'changed: scopes' }));
    await store.insert(entry(NOW - 1000, { target: 'corp', actor_user_id: 'admin2', action: 'provider.test', outcome: 'failed' }));
    assert.deepEqual(
      (await store.recent({ limit: 10 })).map((e) => e.action),
      ['provider.test', 'provider.edit', 'provider.add'],
    );
    assert.deepEqual(await store.recent({ limit: 1 }), [
      entry(NOW - 1000, { target: 'corp', actor_user_id: 'admin2', action: 'provider.test', outcome: 'failed' }),
    ]);
    assert.deepEqual(
      (await store.recent({ limit: 10, target: 'corp' })).map((e) => e.at),
      [NOW - 1000, NOW - 3000],
    );
    assert.deepEqual(
      (await store.recent({ limit: 10, actorUserId: 'admin1', target: 'corp' })).map((e) => e.at),
      [NOW - 3000],
    );
  });

  it('when more entries are past the retention than one batch holds, then pruning takes them in batches and keeps the newer', async () => {
    const store = new SqlAuditStore(database().db);
    const old = AUDIT_PRUNE_BATCH * 2 + 17;
    const rows = Array.from({ length: old }, (_, i) => ({ id: `old-${i}`, ...entry(NOW - 100 * DAY + i) }));
    for (let i = 0; i < rows.length; i += 500)
      await database()
        .db.insertInto('audit_log')
        .values(rows.slice(i, i + 500))
        .execute();
    await store.insert(entry(NOW - 89 * DAY, { target: 'kept' }));
    const before = (await store.recent({ limit: 200 })).length;
    assert.equal(await store.prune(NOW - 90 * DAY, 10), 10, 'one batch at most per statement');
    assert.equal(await pruneAudit(store, NOW - 90 * DAY), old - 10, 'every other old entry goes, in batches');
    const left = await store.recent({ limit: 200 });
    assert.ok(left.every((e) => e.at >= NOW - 90 * DAY));
    assert.ok(left.some((e) => e.target === 'kept'));
    assert.ok(before > left.length);
  });
});

describe('database statements in the metrics', () => {
  for (const backend of BACKENDS) {
    it(`when statements run on ${backend}, then each is timed by storage and outcome`, async () => {
      const scratch = await createScratch(backend);
      try {
        const metrics = new ServiceMetrics({ processMetrics: false });
        const onQuery = (seconds: number, ok: boolean) => metrics.databaseQueries.observe({ storage: backend, outcome: ok ? 'ok' : 'error' }, seconds);
        const database = await scratch.open({ onQuery });
        await new SqlAuditStore(database.db).recent({ limit: 1 });
        await database.db
          .selectFrom('no_such_table' as 'audit_log')
          .selectAll()
          .execute()
          .catch(() => undefined);
        const samples = parseMetrics(await metrics.registry.metrics());
        assert.ok(metricValue(samples, 'oauth2_connect_database_query_duration_seconds_count', { storage: backend, outcome: 'ok' }) >= 1);
        assert.equal(metricValue(samples, 'oauth2_connect_database_query_duration_seconds_count', { storage: backend, outcome: 'error' }), 1);
      } finally {
        await scratch.dispose();
      }
    });
  }
});
