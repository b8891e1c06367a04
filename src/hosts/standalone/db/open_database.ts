/**
 * Opens the standalone host's database: the embedded SQLite file (default) or
 * PostgreSQL (DATABASE_URL), both behind one Kysely<Database>, and applies the
 * migrations. The caller closes it at shutdown.
 */
import { closeSync, chmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import { maskDatabaseUrl, type DatabaseSettings } from '../../../config/index.js';
import type { Logger } from '../../../log/logger.js';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrations.js';
import { checkDatabase, type DatabaseHealth } from './health.js';
import { preparingPool } from './preparing_pool.js';
import { keepingStatements } from './statement_cache.js';
import { startBackgroundCheckpoints } from './background_checkpoints.js';

export type StorageKind = DatabaseSettings['kind'];

export interface StandaloneDatabase {
  kind: StorageKind;
  /** For logs: the file, or the URL with its password masked. */
  description: string;
  db: Kysely<Database>;
  /**
   * PostgreSQL only: a second pool that holds the (user, provider) advisory
   * locks, so a lock holder's own queries never wait for a connection that a
   * lock waiter holds (a pool deadlock).
   */
  lockDb?: Kysely<Database>;
  /** A bounded-time `select 1`. */
  check(timeoutMs?: number): Promise<DatabaseHealth>;
  close(): Promise<void>;
}

export interface OpenOptions {
  logger?: Logger;
  /** Apply the migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL: time to get a connection (default: the settings' connectTimeoutMs, else 5 s). */
  connectionTimeoutMs?: number;
  /** PostgreSQL: longest statement, including a wait for a lock (default: the settings' statementTimeoutMs, else 30 s). */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL: how long a (user, provider) lock holder may work between its statements
   * (a refresh: discovery and the token request). The server ends a lock transaction idle
   * for longer, which would release the lock in the middle of a refresh.
   */
  lockHoldMs?: number;
  /** Told each statement's duration and whether it succeeded (the service's metrics). */
  onQuery?: (seconds: number, ok: boolean) => void;
  /** SQLite: WAL checkpoints on a thread of their own, not on the commit that fills the WAL (the running service). */
  backgroundCheckpoints?: boolean;
}

/** Kysely's log hook, when someone listens: every statement, its duration and outcome. */
const queryLog = (options: OpenOptions) => {
  const onQuery = options.onQuery;
  return onQuery ? { log: (event: LogEvent) => onQuery(event.queryDurationMillis / 1000, event.level === 'query') } : {};
};

export async function openDatabase(settings: DatabaseSettings, options: OpenOptions = {}): Promise<StandaloneDatabase> {
  const opened = settings.kind === 'sqlite' ? openSqlite(settings.file, options) : openPostgres(settings, options);
  try {
    if (options.migrate !== false) await migrateToLatest(opened.db as Kysely<unknown>);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/** The file is created 0600 in a 0700 folder before SQLite opens it (its -wal and -shm files inherit the mode). */
function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

function openSqlite(file: string, options: OpenOptions): StandaloneDatabase {
  createPrivateFile(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const checkpoints = options.backgroundCheckpoints
    ? startBackgroundCheckpoints(sqlite, file, { ...(options.logger && { logger: options.logger }) })
    : undefined;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(sqlite) }), ...queryLog(options) });
  return {
    kind: 'sqlite',
    description: file,
    db,
    check: (timeoutMs) => checkDatabase(db, timeoutMs),
    close: async () => {
      await checkpoints?.stop();
      await db.destroy();
    },
  };
}

type PostgresSettings = Extract<DatabaseSettings, { kind: 'postgres' }>;

function createPool(settings: PostgresSettings, options: OpenOptions, role: string): pg.Pool {
  const statementTimeoutMs = options.statementTimeoutMs ?? settings.statementTimeoutMs ?? 30_000;
  // The locks pool's transactions wait on the provider, not on the database: a short statement
  // timeout must not end them (the lock would go while the refresh is under way).
  const idleInTransactionMs = Math.max(statementTimeoutMs * 2, role === 'locks' ? (options.lockHoldMs ?? 0) + 5000 : 0);
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolMax,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? settings.connectTimeoutMs ?? 5000,
    // The server cancels a statement past this (a slow query, a long lock wait) with a clear error.
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: idleInTransactionMs,
    // TCP keepalive from 10 s of silence (the kernel's default is 2 hours): a server cut off without
    // closing (a network partition) is then noticed after the kernel's probes fail, in minutes.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: `oauth2-connect ${role}`,
  });
  // An idle connection that the server drops emits 'error' on the pool: without
  // a listener that would crash the process. The next query opens a new one.
  pool.on('error', (error) => options.logger?.warn('database connection lost', { role, error: error.message }));
  // A connection checked out by Kysely has no pool listener: if the database goes away between its
  // queries (or just as it is handed out), its 'error' would be uncaught and end the process. The
  // query in flight still fails with the error, and the pool discards the dead connection on release.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      // Alone means checked out; an idle connection's loss is logged by the pool listener above.
      if (client.listenerCount('error') === 1) options.logger?.warn('database connection lost while in use', { role, error: error.message });
    });
  });
  return pool;
}

function openPostgres(settings: PostgresSettings, options: OpenOptions): StandaloneDatabase {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(createPool(settings, options, 'queries')) }), ...queryLog(options) });
  const lockDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(createPool(settings, options, 'locks')) }), ...queryLog(options) });
  return {
    kind: 'postgres',
    description: maskDatabaseUrl(settings.url),
    db,
    lockDb,
    check: (timeoutMs) => checkDatabase(db, timeoutMs),
    close: async () => {
      await Promise.all([db.destroy(), lockDb.destroy()]);
    },
  };
}
