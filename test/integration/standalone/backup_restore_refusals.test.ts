/**
 * What `oauth2-connect restore` and `backup` refuse, and what restore does
 * with an older schema and with the database it replaces, on real SQLite
 * files (the command functions called as the bin calls them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Migrator, type Kysely } from 'kysely';
import { MIGRATIONS } from '../../../src/hosts/standalone/db/migrations.js';
import { openDatabase } from '../../../src/hosts/standalone/db/open_database.js';
import { runBackup } from '../../../src/hosts/standalone/operations/backup.js';
import { runRestore } from '../../../src/hosts/standalone/operations/restore.js';
import { runRotateKey } from '../../../src/hosts/standalone/operations/rotate_key.js';
import { SqlInstallationStore } from '../../../src/hosts/standalone/db/installation_store.js';
import { createStandaloneSealer } from '../../../src/hosts/standalone/db/sealer.js';

const KEY = randomBytes(32).toString('base64');

describe('backup and restore refusals [sqlite]', () => {
  let folder: string;
  const envFor = (dataDir: string, extra: Record<string, string> = {}) => ({
    APP_HOSTS: 'standalone',
    APP_DATA_DIR: dataDir,
    APP_ENCRYPTION_KEY: KEY,
    ...extra,
  });
  const cli = async (fn: typeof runBackup, args: string[], env: Record<string, string>) => {
    const lines: string[] = [];
    const code = await fn(args, { env, print: (text) => lines.push(text) });
    const output = lines.join('\n');
    assert.ok(!output.includes(KEY), 'the key is never printed');
    return { code, output };
  };
  const live = () => join(folder, 'live');
  const liveFile = () => join(live(), 'oauth2-connect.sqlite');

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'restore-'));
    await (await openDatabase({ kind: 'sqlite', file: liveFile() })).close();
    assert.equal((await cli(runBackup, [join(folder, 'good.sqlite')], envFor(live()))).code, 0);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('when the file is not a database, or a database of something else, then restore refuses and changes nothing', async () => {
    writeFileSync(join(folder, 'notes.txt'), 'not a database at all, just some words to fill a page of SQLite header');
    const other = new SQLite(join(folder, 'other.sqlite'));
    other.exec('create table things (id integer)');
    other.close();
    for (const [file, reason] of [
      ['notes.txt', /not an OAuth2 Connect database \(file is not a database\)/],
      ['other.sqlite', /not an OAuth2 Connect database \(no kysely_migration, providers, connections/],
      ['missing.sqlite', /There is no file/],
    ] as const) {
      const result = await cli(runRestore, [join(folder, file)], envFor(join(folder, 'target')));
      assert.equal(result.code, 1, result.output);
      assert.match(result.output, reason);
      assert.equal(existsSync(join(folder, 'target', 'oauth2-connect.sqlite')), false, 'nothing was written');
    }
  });

  it('when the backup’s schema is newer than this version, then restore refuses naming the unknown migration', async () => {
    const newer = join(folder, 'newer.sqlite');
    await cli(runBackup, [newer], envFor(live()));
    const db = new SQLite(newer);
    db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('9999_from_the_future', new Date().toISOString());
    db.close();
    const result = await cli(runRestore, [newer], envFor(join(folder, 'target')));
    assert.equal(result.code, 1);
    assert.match(result.output, /its schema is newer than this version \(migrations 9999_from_the_future are unknown here\)/);
  });

  it('when the backup’s schema is older, then restore migrates it, and the database it replaces is kept beside it', async () => {
    const older = join(folder, 'older.sqlite');
    const first = Object.keys(MIGRATIONS)[0]!;
    const db = await openDatabase({ kind: 'sqlite', file: older }, { migrate: false });
    await new Migrator({ db: db.db as Kysely<unknown>, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } }).migrateTo(first);
    await db.close();
    const target = join(folder, 'target');
    await (await openDatabase({ kind: 'sqlite', file: join(target, 'oauth2-connect.sqlite') })).close();
    const result = await cli(runRestore, [older], envFor(target));
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, new RegExp(`migrated from an older schema: ${Object.keys(MIGRATIONS).slice(1).join(', ')}`));
    assert.match(result.output, /The database it replaced is kept as .*oauth2-connect\.sqlite\.replaced-/);
    assert.equal(readdirSync(target).filter((f) => f.includes('.replaced-')).length, 1);
    const check = await cli(runRotateKey, ['--check'], envFor(target));
    assert.equal(check.code, 0, `the restored database is this version's schema: ${check.output}`);
  });

  it('when another process has the database open, then restore refuses, and when it is closed restore goes ahead', async () => {
    const holder = new SQLite(liveFile());
    holder.pragma('journal_mode = WAL');
    holder.prepare('select count(*) from providers').get();
    try {
      const refused = await cli(runRestore, [join(folder, 'good.sqlite')], envFor(live()));
      assert.equal(refused.code, 1);
      assert.match(refused.output, /open in another process \(the service is running\)/);
    } finally {
      holder.close();
    }
    assert.equal((await cli(runRestore, [join(folder, 'good.sqlite')], envFor(live()))).code, 0);
  });

  it('when backup is given --force, then it replaces the file; the service database itself is refused as a target', async () => {
    const file = join(folder, 'good.sqlite');
    assert.equal((await cli(runBackup, [file, '--force'], envFor(live()))).code, 0);
    const self = await cli(runBackup, [liveFile(), '--force'], envFor(live()));
    assert.equal(self.code, 1);
    assert.match(self.output, /That is the service database itself/);
  });

  it('when a backup is restored where its key is not configured, then restore names the key its values are under and warns', async () => {
    const keyed = join(folder, 'keyed');
    const oldKey = randomBytes(32);
    const database = await openDatabase({ kind: 'sqlite', file: join(keyed, 'oauth2-connect.sqlite') });
    const sealer = createStandaloneSealer({ encryptionKeys: [{ id: 'k0', key: oldKey }], currentKeyId: 'k0' });
    await new SqlInstallationStore(database.db, sealer).saveInstallation({
      mattermost_url: 'http://mm.example',
      bot_user_id: 'bot',
      bot_username: 'oauth2-connect',
      bot_token: 'the-bot-token',
      oauth_client_id: 'signin',
      oauth_client_secret: 'the-signin-secret',
      updated_at: 0,
    });
    await database.close();
    const withOldKey = envFor(keyed, { APP_ENCRYPTION_KEY: oldKey.toString('base64'), APP_ENCRYPTION_KEY_ID: 'k0' });
    const backup = await cli(runBackup, [join(folder, 'keyed.sqlite')], withOldKey);
    assert.match(backup.output, /the installation \(bot token and sign-in secret\).*sealed values under key k0 \(2\)\./);
    assert.ok(!backup.output.includes(oldKey.toString('base64')));
    const restored = await cli(runRestore, [join(folder, 'keyed.sqlite')], envFor(join(folder, 'elsewhere')));
    assert.equal(restored.code, 0, restored.output);
    assert.match(restored.output, /sealed values under key k0 \(2, not configured here\)/);
    assert.match(
      restored.output,
      /WARNING: 2 sealed value\(s\) do not open with the keys configured here: start the service with the key the backup was made with/,
    );
  });

  it('when a backup is restored where no key is set and no development key file exists, then restore warns that the service would make a new key', async () => {
    const result = await cli(runRestore, [join(folder, 'keyed.sqlite')], { APP_HOSTS: 'standalone', APP_DATA_DIR: join(folder, 'keyless') });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /WARNING: there is no encryption key here: APP_ENCRYPTION_KEY is not set and .*keyless\/encryption\.key does not exist/);
    assert.equal(existsSync(join(folder, 'keyless', 'encryption.key')), false, 'restore makes no key');
  });

  it('when DATABASE_URL names PostgreSQL, then backup and restore give the pg_dump and pg_restore commands, the password masked, and the key reminder', async () => {
    const env = envFor(live(), { DATABASE_URL: 'postgres://connect:hunter2-password@127.0.0.1:5432/connect' });
    for (const fn of [runBackup, runRestore]) {
      const result = await cli(fn, [join(folder, 'x.dump')], env);
      assert.equal(result.code, 2);
      assert.match(result.output, /pg_dump --format=custom --file=oauth2-connect\.dump "\$DATABASE_URL"/);
      assert.match(result.output, /pg_restore --clean --if-exists --no-owner --dbname="\$DATABASE_URL" oauth2-connect\.dump/);
      assert.match(result.output, /Without the key the backup is useless; with it, the backup is every user's provider tokens/);
      assert.doesNotMatch(result.output, /hunter2/);
    }
  });
});
