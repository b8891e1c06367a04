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
  'connections.used_at',
  'leases.name',
  'leases.holder',
  'leases.held_until',
  'leases.next_at',
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
  'apps_import_state.id',
  'apps_import_state.users_enabled_at',
  'apps_import_connections.user_id',
  'apps_import_connections.provider_id',
  'apps_import_connections.known_at',
  'apps_import_connections.copied_at',
  'apps_import_users.user_id',
  'apps_import_users.visited_at',
  'apps_import_users.copied',
  'apps_import_changes.user_id',
  'apps_import_changes.mark',
  'client_rate_windows.client_id',
  'client_rate_windows.window_start',
  'client_rate_windows.used',
  'client_rate_windows.granted',
  'token_clients.id',
  'token_clients.name',
  'token_clients.providers',
  'token_clients.scopes',
  'token_clients.sources',
  'token_clients.rate_per_minute',
  'token_clients.credential_hash',
  'token_clients.created_by',
  'token_clients.created_at',
  'token_clients.credential_at',
  'token_clients.last_used_at',
  'token_grants.user_id',
  'token_grants.client_id',
  'token_grants.provider_id',
  'token_grants.scopes',
  'token_grants.granted_at',
  'token_grants.last_used_at',
  // The audit trail names fields, counts and reasons, never a secret (see docs/observability.md).
  'audit_log.id',
  'audit_log.at',
  'audit_log.actor_user_id',
  'audit_log.action',
  'audit_log.target',
  'audit_log.outcome',
  'audit_log.detail',
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
