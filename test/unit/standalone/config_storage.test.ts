import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, maskDatabaseUrl } from '../../../src/config/index.js';

const base = () => ({ APP_DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-sa-')), APP_ENCRYPTION_KEY: randomBytes(32).toString('base64') });

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base(), ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the configuration to be refused');
}

describe('config: standalone hosts and storage', () => {
  it('when nothing is set, then both hosts run on the SQLite file in the data folder', () => {
    const env = base();
    const config = loadConfig(env);
    assert.deepEqual(config.hosts, ['apps', 'standalone']);
    assert.deepEqual(config.database, { kind: 'sqlite', file: join(env.APP_DATA_DIR, 'oauth2-connect.sqlite') });
  });

  it('when APP_HOSTS names one host (any case, spaces, repeats), then only that host runs', () => {
    assert.deepEqual(loadConfig({ ...base(), APP_HOSTS: ' Standalone , standalone' }).hosts, ['standalone']);
    assert.deepEqual(loadConfig({ ...base(), APP_HOSTS: 'apps' }).hosts, ['apps']);
  });

  it('when APP_HOSTS names an unknown host or none, then a ConfigError names APP_HOSTS', () => {
    const unknown = refusal({ APP_HOSTS: 'apps,plugin' });
    assert.equal(unknown.variable, 'APP_HOSTS');
    assert.match(unknown.message, /"plugin"/);
    assert.equal(refusal({ APP_HOSTS: ' , ' }).variable, 'APP_HOSTS');
  });

  it('when DATABASE_URL is a postgres URL, then PostgreSQL is used with the pool size and timeouts (defaults 10, 5 s, 30 s)', () => {
    const url = 'postgresql://svc:pw@db.internal:5432/oauth2';
    assert.deepEqual(loadConfig({ ...base(), DATABASE_URL: url }).database, {
      kind: 'postgres',
      url,
      poolMax: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 30_000,
    });
    const sized = loadConfig({
      ...base(),
      DATABASE_URL: 'postgres://db/oauth2',
      APP_DB_POOL_MAX: '25',
      APP_DB_CONNECT_TIMEOUT_MS: '1500',
      APP_DB_STATEMENT_TIMEOUT_MS: '8000',
    }).database;
    assert.deepEqual(sized.kind === 'postgres' && [sized.poolMax, sized.connectTimeoutMs, sized.statementTimeoutMs], [25, 1500, 8000]);
  });

  it('when APP_DB_POOL_MAX or a database timeout is out of range or not a number, then a ConfigError names it', () => {
    for (const value of ['0', '101', 'ten', '-3'])
      assert.equal(refusal({ DATABASE_URL: 'postgres://db/x', APP_DB_POOL_MAX: value }).variable, 'APP_DB_POOL_MAX');
    for (const value of ['99', '120001', '5s'])
      assert.equal(refusal({ DATABASE_URL: 'postgres://db/x', APP_DB_CONNECT_TIMEOUT_MS: value }).variable, 'APP_DB_CONNECT_TIMEOUT_MS');
    for (const value of ['99', '600001', 'soon'])
      assert.equal(refusal({ DATABASE_URL: 'postgres://db/x', APP_DB_STATEMENT_TIMEOUT_MS: value }).variable, 'APP_DB_STATEMENT_TIMEOUT_MS');
  });

  it('when DATABASE_URL is set without APP_ENCRYPTION_KEY, then it stops: each replica would seal with a development key of its own', () => {
    const { APP_DATA_DIR } = base();
    assert.throws(
      () => loadConfig({ APP_DATA_DIR, DATABASE_URL: 'postgres://db/oauth2' }),
      (error: unknown) =>
        error instanceof ConfigError && error.variable === 'APP_ENCRYPTION_KEY' && /must be set when DATABASE_URL is set: every replica/.test(error.message),
    );
    assert.equal(loadConfig({ APP_DATA_DIR }).database.kind, 'sqlite', 'the SQLite file of one process may use the development key');
  });

  it('when DATABASE_URL is malformed or not PostgreSQL, then the error names it and never shows the password', () => {
    const cases = [
      'mysql://root:hunter2secret@db/x',
      'postgres://root:hunter2secret@/x',
      'postgres://root:hunter2secret@db',
      'postgres://root:hunter2secret@db:99999999/x',
      'not a url hunter2secret',
    ];
    for (const value of cases) {
      const error = refusal({ DATABASE_URL: value });
      assert.equal(error.variable, 'DATABASE_URL', value);
      assert.doesNotMatch(error.message, /hunter2secret/, value);
    }
  });

  it('maskDatabaseUrl hides the password and keeps the rest', () => {
    assert.equal(maskDatabaseUrl('postgres://svc:s3cr%40t@db:5432/app'), 'postgres://svc:****@db:5432/app');
    assert.equal(maskDatabaseUrl('postgres://db/app'), 'postgres://db/app');
    assert.doesNotMatch(maskDatabaseUrl('postgres://u:p@ss@@'), /p@ss/);
  });
});
