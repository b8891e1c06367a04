/**
 * The command path's queries are prepared once: SQLite keeps each statement
 * it prepared (bounded), PostgreSQL runs the queries compiled once as named
 * prepared statements, and any other query as before.
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

  it('when PostgreSQL runs the token check, then it is a named prepared statement on that connection; other queries are not', async () => {
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
      } finally {
        await single.close();
      }
    } finally {
      await scratch.dispose();
    }
  });
});
