/**
 * The schema's migrations, one list for both dialects, applied at start by
 * Kysely's Migrator. Concurrent starts are safe: on PostgreSQL the Migrator
 * holds a session advisory lock and runs the migrations in one transaction
 * (DDL is transactional there); on SQLite the single connection serialises
 * them. Never edit a migration that has shipped: add the next one.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { appsImport } from './apps_import_migration.js';
import { keepAlive } from './keep_alive_migration.js';
import { appsCopyMark } from './apps_copy_mark_migration.js';
import { providerListVersion } from './provider_list_version.js';
import { clientRateWindows } from './rate_windows_migration.js';

async function createProviderTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('connections')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('broken', 'text')
    .addColumn('tokens', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('connections_pk', ['user_id', 'provider_id'])
    .execute();
  // The report and a provider's removal read by provider.
  await db.schema.createIndex('connections_provider_idx').on('connections').column('provider_id').execute();
}

async function createInstallationTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('installation')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sqlOne()))
    .addColumn('mattermost_url', 'text', (c) => c.notNull())
    .addColumn('bot_user_id', 'text', (c) => c.notNull())
    .addColumn('bot_username', 'text', (c) => c.notNull())
    .addColumn('bot_token', 'text', (c) => c.notNull())
    .addColumn('oauth_client_id', 'text', (c) => c.notNull())
    .addColumn('oauth_client_secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('team_commands')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('command_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function createBrowserTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
  await db.schema
    .createTable('one_time')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('one_time_expires_idx').on('one_time').column('expires_at').execute();
}

const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createProviderTables(db);
    await createInstallationTables(db);
    await createBrowserTables(db);
  },
};

/**
 * The bot's role and each command's creator and fields, so team sync can
 * tell a command someone else changed. Rows made before were made by an
 * admin bot: bot_role 'admin', creator the installation's bot, fields unknown.
 * SQLite adds one column per statement.
 */
const botRoleAndCommandOwner: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('installation')
      .addColumn('bot_role', 'text', (c) => c.notNull().defaultTo('admin'))
      .execute();
    await db.schema
      .alterTable('team_commands')
      .addColumn('creator_id', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema
      .alterTable('team_commands')
      .addColumn('fields_hash', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await sql`update team_commands set creator_id = coalesce((select bot_user_id from installation where id = 1), '')`.execute(db);
  },
};

/** The installation's id (setup records it in Mattermost too); '' until setup runs again. */
const installationId: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('installation')
      .addColumn('installation_id', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  },
};

/** Whether setup found the Apps plugin active: 1 or 0, null until setup runs again (then the service serves both hosts by default). */
const appsPlugin: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('installation').addColumn('apps_plugin', 'integer').execute();
  },
};

/**
 * The token API: the integrations registered as clients (only a hash of each
 * credential, unique, so a request finds its client by it) and the users'
 * grants, one per user, client and provider.
 */
const tokenClients: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('token_clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('providers', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('sources', 'text', (c) => c.notNull())
      .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
      .addColumn('credential_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('credential_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema
      .createTable('token_grants')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('provider_id', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('granted_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addPrimaryKeyConstraint('token_grants_pk', ['user_id', 'client_id', 'provider_id'])
      .execute();
    // A client's removal and the report read by client.
    await db.schema.createIndex('token_grants_client_idx').on('token_grants').column('client_id').execute();
  },
};

/**
 * The audit trail. Read newest first, whole or by provider or by user; pruned
 * by age: each reading order has its index.
 */
const auditLog: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor_user_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();
    await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target', 'at']).execute();
    await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_user_id', 'at']).execute();
  },
};

function sqlOne() {
  return sql`id = 1`;
}

/** In order; the names are what the kysely_migration table records. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_bot_role_and_command_owner': botRoleAndCommandOwner,
  '0003_installation_id': installationId,
  '0004_provider_list_version': providerListVersion,
  '0005_apps_plugin': appsPlugin,
  '0006_audit_log': auditLog,
  '0008_apps_import': appsImport,
  '0010_token_clients': tokenClients,
  '0011_keep_alive': keepAlive,
  '0012_apps_copy_mark': appsCopyMark,
  '0013_client_rate_windows': clientRateWindows,
});

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Brings the schema to the latest migration; a no-op when it is there already. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migration table';
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`The database schema could not be brought up to date (${failed}): ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
