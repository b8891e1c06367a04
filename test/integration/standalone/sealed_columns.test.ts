/**
 * Key rotation re-seals exactly the columns SEALED_COLUMNS names. This holds
 * the migrated schema to that list: every column of every table is either
 * sealed (and so rotated) or named here as holding no secret. A column added
 * by a later migration fails this test until it is placed on one side; a
 * sealed one without rotation support would leave values under a key that
 * the admin was told could be removed.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SEALED_COLUMNS } from '../../../src/hosts/standalone/db/sealed_columns.js';
import { onEachBackend } from '../../support/standalone_db.js';

/** Columns that hold no sealed value: ids, hashes, times, public settings, the provider list's version. */
const PLAIN_COLUMNS = [
  'connections.user_id',
  'connections.provider_id',
  'connections.label',
  'connections.sub',
  'connections.since',
  'connections.expires_at',
  'connections.broken',
  'connections.origin',
  'connections.updated_at',
  'providers.id',
  'providers.created_at',
  'providers.updated_at',
  'provider_list_version.id',
  'provider_list_version.version',
  'installation.id',
  'installation.mattermost_url',
  'installation.bot_user_id',
  'installation.bot_username',
  'installation.oauth_client_id',
  'installation.bot_role',
  'installation.installation_id',
  'installation.apps_plugin',
  'installation.updated_at',
  'team_commands.team_id',
  'team_commands.command_id',
  'team_commands.token_hash',
  'team_commands.creator_id',
  'team_commands.fields_hash',
  'team_commands.updated_at',
  'sessions.id_hash',
  'sessions.user_id',
  'sessions.created_at',
  'sessions.expires_at',
  'one_time.key_hash',
  'one_time.purpose',
  'one_time.user_id',
  'one_time.provider_id',
  'one_time.data',
  'one_time.expires_at',
];

/** Kysely's own bookkeeping. */
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

onEachBackend('the schema and the sealed columns', ({ backend, database }) => {
  it('when the schema is migrated, then every column is either rotated by rotate-key or known to hold no sealed value', async () => {
    const db = database().db;
    const columns =
      backend === 'sqlite'
        ? (
            await sql<{ name: string; column: string }>`
              select m.name as name, p.name as column from sqlite_master m join pragma_table_info(m.name) p
              where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db)
          ).rows
        : (
            await sql<{ name: string; column: string }>`
              select table_name as name, column_name as column from information_schema.columns where table_schema = current_schema()`.execute(db)
          ).rows;
    const found = columns.filter((c) => !MIGRATOR_TABLES.has(c.name)).map((c) => `${c.name}.${c.column}`);
    const sealed = SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`);
    const unplaced = found.filter((c) => !sealed.includes(c) && !PLAIN_COLUMNS.includes(c));
    assert.deepEqual(
      unplaced,
      [],
      'a new column: if it holds a sealed value, add it to SEALED_COLUMNS (src/hosts/standalone/db/sealed_columns.ts) so rotate-key re-seals it; else list it here',
    );
    const missing = [...sealed, ...PLAIN_COLUMNS].filter((c) => !found.includes(c));
    assert.deepEqual(missing, [], 'every listed column exists in the schema');
  });
});
