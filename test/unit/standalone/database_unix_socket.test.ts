/**
 * A PostgreSQL on the same host is reached through its Unix socket when
 * DATABASE_URL names the socket's folder as the host, percent-encoded
 * (postgresql://user@%2Fvar%2Frun%2Fpostgresql/db, as the README shows): the
 * configuration accepts it, migrations run over it, and the connection is not
 * a TCP one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig, maskDatabaseUrl } from '../../../src/config/index.js';
import { openDatabase, type StandaloneDatabase } from '../../../src/hosts/standalone/db/open_database.js';
import { createScratch, PG_ADMIN_URL, type Scratch } from '../../support/standalone_db.js';

/** The first folder where this PostgreSQL listens on a socket, as the server itself says. */
async function socketFolder(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ unix_socket_directories: string }>('show unix_socket_directories');
    const folder = rows[0]?.unix_socket_directories.split(',')[0]?.trim();
    assert.ok(folder, 'this PostgreSQL listens on no Unix socket (unix_socket_directories is empty)');
    return folder;
  } finally {
    await client.end();
  }
}

describe('DATABASE_URL through a Unix socket', () => {
  let scratch: Scratch;
  let database: StandaloneDatabase | undefined;
  let url: string;

  before(async () => {
    scratch = await createScratch('postgres');
    const name = new URL(scratch.settings.kind === 'postgres' ? scratch.settings.url : '').pathname.slice(1);
    url = `postgresql://postgres@${encodeURIComponent(await socketFolder())}/${name}`;
  });
  after(async () => {
    await database?.close();
    await scratch.dispose();
  });

  it('when the host is the socket folder, percent-encoded, then the service migrates and reads over the socket, not TCP', async () => {
    const env = { APP_DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-sock-')), APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), DATABASE_URL: url };
    const settings = loadConfig(env).database;
    assert.equal(settings.kind, 'postgres');
    database = await openDatabase(settings);
    const { rows } = await sql<{ server: string | null; tables: string }>`select inet_server_addr() as server,
      (select count(*) from information_schema.tables where table_name = 'connections') as tables`.execute(database.db);
    assert.equal(rows[0]?.server, null, 'inet_server_addr() is null only on a Unix-socket connection');
    assert.equal(Number(rows[0]?.tables), 1, 'the migrations ran over the socket');
  });

  it('when such a URL is shown in a log, then it still names the socket folder and the database', () => {
    assert.equal(maskDatabaseUrl(url), url, 'no password to mask: shown as given');
    const shown = maskDatabaseUrl(url.replace('postgres@', 'postgres:hunter2@'));
    assert.doesNotMatch(shown, /hunter2/);
    assert.match(shown, /^postgresql:\/\/postgres:\*+@%2F.+\/oauth2_test_/);
  });
});
