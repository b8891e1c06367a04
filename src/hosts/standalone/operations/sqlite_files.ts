/**
 * The SQLite file's side of backup and restore: whether another process has
 * the database open, a consistent copy of a live database (SQLite's online
 * backup), and files created private (0600, in a 0700 folder) as the
 * service's own database is.
 */
import { closeSync, mkdirSync, openSync, chmodSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * True while another connection (the running service) has the database open.
 * The service keeps it in WAL mode, where every open connection holds a shared
 * lock on the file; an exclusive transaction in exclusive locking mode is
 * refused at once while any such lock is held, and taken (then let go) when none is.
 */
export function sqliteInUse(file: string): boolean {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { fileMustExist: true, timeout: 0 });
  } catch {
    return false;
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/** An empty file only its owner can read, in a folder only its owner can enter (when it makes the folder). */
export function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'w', 0o600));
  chmodSync(file, 0o600);
}

/**
 * Copies the database at `source` into `destination` (created private) while
 * other processes keep writing to it: all pages in one step of SQLite's online
 * backup, so the copy is the database as one read transaction saw it. The
 * copy is left in rollback-journal mode: a single file, nothing beside it.
 */
export async function copyDatabase(source: string, destination: string): Promise<void> {
  createPrivateFile(destination);
  const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
  try {
    // One step for every page: a step-by-step copy starts again whenever another process writes between steps.
    await db.backup(destination, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new SQLite(destination);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** The files SQLite keeps beside a database. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Removes the database file and the files beside it. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${file}${suffix}`, { force: true });
}

/** A database file opened as it is (no migration, its journal mode left alone), for reading what it holds. */
export function openAsItIs(file: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file, { fileMustExist: true }) }) });
}
