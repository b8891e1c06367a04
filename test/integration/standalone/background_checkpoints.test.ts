/**
 * SQLite's WAL checkpoints on their own thread: with them on, a commit never
 * copies the WAL back into the database file (the service's connection has
 * its automatic checkpoints off), the worker does within its interval, and
 * the data reads back whole; a worker that cannot start gives the connection
 * its automatic checkpoints back, with a warning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { startBackgroundCheckpoints } from '../../../src/hosts/standalone/db/background_checkpoints.js';
import { createMemoryLogger } from '../../../src/log/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function walDatabase(name: string) {
  const file = join(dir, name);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table t (id integer primary key, v text)');
  return { file, sqlite };
}

const writeRows = (sqlite: SQLite.Database, n: number) => {
  const insert = sqlite.prepare('insert into t (v) values (?)');
  for (let i = 0; i < n; i++) insert.run('x'.repeat(500));
};

const waitFor = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end && !check();) await new Promise((r) => setTimeout(r, 20));
  return check();
};

it('when thousands of rows are committed, then no commit copies the WAL back, the worker does within its interval, and every row reads back', async () => {
  const { file, sqlite } = walDatabase('on.db');
  // An interval longer than the writes take: what reaches the file before it, a commit copied.
  const checkpoints = startBackgroundCheckpoints(sqlite, file, { intervalMs: 3000 });
  try {
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 0);
    const before = statSync(file).size;
    // Far more than the 1,000 pages an automatic checkpoint would copy back on commit.
    writeRows(sqlite, 12_000);
    assert.equal(statSync(file).size, before, 'a commit copied the WAL back into the file');
    assert.ok(await waitFor(() => statSync(file).size > before + 4_000_000, 8000), 'the worker copied the WAL back');
    assert.equal((sqlite.prepare('select count(*) as n from t').get() as { n: number }).n, 12_000);
  } finally {
    await checkpoints.stop();
  }
  assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 1000, 'the connection takes its checkpoints back');
  sqlite.close();
});

it('when the worker cannot start, then the connection takes its automatic checkpoints back and a warning says so', async () => {
  const { file, sqlite } = walDatabase('broken.db');
  const logger = createMemoryLogger();
  const checkpoints = startBackgroundCheckpoints(sqlite, file, { intervalMs: 50, module: join(dir, 'no-such-module.js'), logger });
  assert.ok(await waitFor(() => sqlite.pragma('wal_autocheckpoint', { simple: true }) === 1000, 5000), 'automatic checkpoints restored');
  assert.ok(logger.lines.some((l) => l.includes('checkpoint thread failed')));
  await checkpoints.stop();
  sqlite.close();
});
