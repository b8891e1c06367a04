/**
 * The command path's queries are prepared once: SQLite keeps each statement
 * it prepared (bounded), PostgreSQL runs the queries compiled once as named
 * prepared statements, and any other query as before. The admission's
 * relaxed commit stays with its own statement.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { statementName } from '../../../src/hosts/standalone/db/compiled_query.js';
import { createRepositories, openDatabase } from '../../../src/hosts/standalone/db/index.js';
import { keepingStatements } from '../../../src/hosts/standalone/db/statement_cache.js';
import { createScratch, testSealer } from '../../support/standalone_db.js';

describe('prepared statements', () => {
  it('when SQLite runs a text again, then the statement prepared first answers it; past the bound the oldest is let go', () => {
    const sqlite = new SQLite(':memory:');
    const kept = keepingStatements(sqlite, 2);
    try {
      const first = kept.prepare('select 1 as one');
      assert.equal(kept.prepare('select 1 as one'), first);
      assert.deepEqual(first.all([]), [{ one: 1 }]);
      kept.prepare('select 2 as two');
      kept.prepare('select 3 as three');
      assert.equal(kept.kept, 2);
      assert.notEqual(kept.prepare('select 1 as one'), first, 'prepared again once it was let go');
    } finally {
      kept.close();
    }
  });

  it('when PostgreSQL runs the token check, then it is a named prepared statement on that connection, other queries are not, and an admission relaxes only its own commit', async () => {
    const scratch = await createScratch('postgres');
    try {
      if (scratch.settings.kind !== 'postgres') throw new Error('postgres expected');
      // One connection, so the prepared statements seen are the ones the queries made.
      const single = await openDatabase({ ...scratch.settings, poolMax: 1 });
      try {
        const { installation } = createRepositories(single, testSealer());
        assert.equal(await installation.commandForTeam('team-a'), undefined);
        await sql`select 42`.execute(single.db);
        const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(single.db);
        assert.ok(prepared.rows.length >= 1, 'at least the token check');
        for (const row of prepared.rows) assert.equal(statementName(row.statement), row.name, row.statement);
        assert.ok(prepared.rows.some((row) => /from "team_commands"/.test(row.statement)));
        assert.ok(!prepared.rows.some((row) => /select 42/.test(row.statement)), 'an ad hoc query is not named');
        const { admission, installation: store } = createRepositories(single, testSealer());
        await store.saveCommand({ team_id: 'team-a', command_id: 'c1', token_hash: 'h', updated_at: 1 });
        const trigger = { key_hash: 'k1', purpose: 'trigger' as const, user_id: 'u1', provider_id: '', expires_at: Date.now() + 10_000 };
        assert.deepEqual(await admission.admit('team-a', 'h', trigger), { storedHash: 'h', claimed: true });
        const after = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(single.db);
        assert.equal(after.rows[0]?.synchronous_commit, 'on', 'the next statement on that connection (a token save) commits durably again');
      } finally {
        await single.close();
      }
    } finally {
      await scratch.dispose();
    }
  });
});
