import { it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { SqlInstallationStore } from '../../../src/hosts/standalone/db/installation_store.js';
import { migrateToLatest, MIGRATIONS } from '../../../src/hosts/standalone/db/migrations.js';
import { createScratch, onEachBackend, testSealer } from '../../support/standalone_db.js';

const TABLES = [
  'apps_import_changes',
  'apps_import_connections',
  'apps_import_state',
  'apps_import_users',
  'audit_log',
  'client_rate_windows',
  'connections',
  'installation',
  'leases',
  'one_time',
  'provider_list_version',
  'providers',
  'sessions',
  'team_commands',
  'token_clients',
  'token_grants',
];

async function tableNames(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .map((t) => t.name)
    .filter((n) => !n.startsWith('kysely_'))
    .sort();
}

onEachBackend('migrations', ({ backend, scratch, database }) => {
  it('when the database was empty, then opening it creates every table and records each migration once', async () => {
    assert.deepEqual(await tableNames(database().db), TABLES);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database().db);
    assert.deepEqual(
      applied.rows.map((r) => r.name),
      Object.keys(MIGRATIONS),
    );
  });

  it('when the migrations run again (a restart), then nothing changes and nothing fails', async () => {
    await database().db.insertInto('sessions').values({ id_hash: 'h', user_id: 'u', created_at: 1, expires_at: 2 }).execute();
    assert.deepEqual(await migrateToLatest(database().db as Kysely<unknown>), []);
    const reopened = await scratch().open();
    assert.deepEqual(await tableNames(reopened.db), TABLES);
    const kept = await reopened.db.selectFrom('sessions').select('user_id').execute();
    assert.deepEqual(kept, [{ user_id: 'u' }]);
  });

  it('when connections were made before uses were recorded, then migrating counts each as used when it last changed', async () => {
    const old = await createScratch(backend);
    try {
      const database = await old.open({ migrate: false });
      const upTo = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0011'));
      const before = new Migrator({ db: database.db, provider: { getMigrations: async () => upTo } });
      assert.equal((await before.migrateToLatest()).error, undefined);
      await sql`insert into connections (user_id, provider_id, label, sub, since, tokens, origin, updated_at)
        values ('u1', 'p1', 'l', 's', 1, 'sealed', 'https://p1.example', 1234)`.execute(database.db);
      assert.deepEqual(await migrateToLatest(database.db as Kysely<unknown>), ['0011_keep_alive', '0012_apps_copy_mark', '0013_client_rate_windows']);
      const row = await database.db.selectFrom('connections').select(['updated_at', 'used_at']).executeTakeFirstOrThrow();
      assert.deepEqual([Number(row.updated_at), Number(row.used_at)], [1234, 1234]);
    } finally {
      await old.dispose();
    }
  });

  it('when a database from before the bot role holds an installation and commands, then migrating records an admin bot that made the commands', async () => {
    const old = await createScratch(backend);
    try {
      const database = await old.open({ migrate: false });
      const first = new Migrator({ db: database.db, provider: { getMigrations: async () => ({ '0001_initial': MIGRATIONS['0001_initial']! }) } });
      assert.equal((await first.migrateToLatest()).error, undefined);
      const sealer = testSealer();
      const values = { mattermost_url: 'https://mm.example', bot_user_id: 'bot1', bot_username: 'oauth2-connect', oauth_client_id: 'c1', updated_at: 1 };
      const sealed = new SqlInstallationStore(database.db, sealer);
      // The row as the first schema had it: no bot_role column yet.
      await sql`insert into installation (id, mattermost_url, bot_user_id, bot_username, bot_token, oauth_client_id, oauth_client_secret, updated_at)
        values (1, ${values.mattermost_url}, ${values.bot_user_id}, ${values.bot_username}, ${sealer.seal('t', { kind: 'setting', scope: 'bot_token' })},
        ${values.oauth_client_id}, ${sealer.seal('s', { kind: 'setting', scope: 'oauth_client_secret' })}, 1)`.execute(database.db);
      await sql`insert into team_commands (team_id, command_id, token_hash, updated_at) values ('team1', 'cmd1', 'hash1', 2)`.execute(database.db);
      assert.deepEqual(await migrateToLatest(database.db as Kysely<unknown>), [
        '0002_bot_role_and_command_owner',
        '0003_installation_id',
        '0004_provider_list_version',
        '0005_apps_plugin',
        '0006_audit_log',
        '0008_apps_import',
        '0010_token_clients',
        '0011_keep_alive',
        '0012_apps_copy_mark',
        '0013_client_rate_windows',
      ]);
      assert.equal((await sealed.getInstallation())?.bot_role, 'admin');
      assert.equal((await sealed.getInstallation())?.installation_id, undefined, 'no id is recorded until setup runs again');
      assert.equal((await sealed.getInstallation())?.apps_plugin, undefined, 'whether the Apps plugin is there is unknown until setup runs again');
      assert.deepEqual(await sealed.commandForTeam('team1'), { team_id: 'team1', command_id: 'cmd1', token_hash: 'hash1', creator_id: 'bot1', updated_at: 2 });
    } finally {
      await old.dispose();
    }
  });

  it('when the providers table changes in any way, even by plain SQL, then the provider list version moves on each time', async () => {
    const db = database().db;
    const version = async () => Number((await db.selectFrom('provider_list_version').select('version').executeTakeFirstOrThrow()).version);
    const seen = [await version()];
    await sql`insert into providers (id, record, created_at, updated_at) values ('p1', '{}', 1, 1)`.execute(db);
    seen.push(await version());
    await sql`update providers set record = '{"a":1}' where id = 'p1'`.execute(db);
    seen.push(await version());
    await sql`delete from providers where id = 'p1'`.execute(db);
    seen.push(await version());
    await sql`update providers set record = '{}' where id = 'none'`.execute(db);
    const afterNoRow = await version();
    assert.deepEqual(
      seen.map((v, i) => v - seen[0]! === i),
      [true, true, true, true],
      `versions ${seen.join(', ')}`,
    );
    // A statement that changed nothing may move it (PostgreSQL's trigger is per statement) but never back.
    assert.ok(afterNoRow >= seen[3]!);
  });

  if (backend === 'sqlite') {
    it('when the SQLite file is created, then it is mode 0600 in a private folder, in WAL mode with foreign keys on', async () => {
      const { file } = scratch().settings as { file: string };
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(dirname(file)).mode & 0o077, 0);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database().db);
      assert.equal(mode.rows[0]?.journal_mode, 'wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database().db);
      assert.equal(fk.rows[0]?.foreign_keys, 1);
    });
  }

  if (backend === 'postgres') {
    it('when 3 replicas start at once on an empty database, then all succeed and each migration is applied once', async () => {
      const fresh = await (await import('../../support/standalone_db.js')).createScratch('postgres');
      try {
        const replicas = await Promise.all([fresh.open(), fresh.open(), fresh.open()]);
        assert.equal(replicas.length, 3);
        for (const replica of replicas) assert.deepEqual(await tableNames(replica.db), TABLES);
        const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(replicas[0]!.db);
        assert.deepEqual(
          applied.rows.map((r) => r.name),
          Object.keys(MIGRATIONS),
        );
      } finally {
        await fresh.dispose();
      }
    });
  }
});
