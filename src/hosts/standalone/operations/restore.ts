/**
 * `oauth2-connect restore <file>`: puts a backup back as the service's SQLite
 * database, with the service stopped. It refuses while another process has
 * the database open, and a file that is not this product's database or whose
 * schema is newer than this version; an older one is migrated. The backup is
 * copied and migrated beside the database first, so a refusal or a failure
 * leaves the database as it was; the database it replaces is kept beside it.
 */
import { existsSync, renameSync } from 'node:fs';
import { migrateToLatest } from '../db/migrations.js';
import { rotateSealedValues } from '../db/key_rotation.js';
import { describeContents, inspectDatabaseFile, readContents, sealingSummary, unopened } from './contents.js';
import { copyDatabase, openAsItIs, removeDatabaseFiles, SIDE_FILES, sqliteInUse } from './sqlite_files.js';
import { EXIT, keyReminder, readFileCommand, serviceKeys, type StorageCliDeps } from './storage_cli.js';
import type { Kysely } from 'kysely';

export const RESTORE_USAGE = `usage: oauth2-connect restore <file>
  Puts a backup made by \`oauth2-connect backup\` back as the service's SQLite database
  (APP_DATA_DIR), with the service stopped. An older schema is migrated; the database it
  replaces is kept beside it as <name>.replaced-<time>.
With DATABASE_URL (PostgreSQL) it prints the pg_restore command instead.`;

const inUse = (file: string) =>
  `The database ${file} is open in another process (the service is running): stop every process using APP_DATA_DIR, then restore again. Nothing was changed.`;

export async function runRestore(args: string[], deps: StorageCliDeps, now: () => Date = () => new Date()): Promise<number> {
  const command = readFileCommand(args, deps, RESTORE_USAGE, { force: false });
  if (typeof command === 'number') return command;
  const { config, database: target, file: backup } = command;
  if (!existsSync(backup)) return (deps.print(`There is no file ${backup}.`), EXIT.refused);
  if (sqliteInUse(target)) return (deps.print(inUse(target)), EXIT.refused);
  const inspection = inspectDatabaseFile(backup);
  if (!inspection.ok) return (deps.print(`${backup} cannot be restored: ${inspection.reason}. Nothing was changed.`), EXIT.refused);

  const incoming = `${target}.restoring-${process.pid}`;
  try {
    await copyDatabase(backup, incoming);
    const copy = openAsItIs(incoming);
    let summary: string;
    let closed = 0;
    try {
      const migrated = inspection.pending.length > 0 ? await migrateToLatest(copy as Kysely<unknown>) : [];
      summary = describeContents(await readContents(copy)) + (migrated.length > 0 ? ` (migrated from an older schema: ${migrated.join(', ')})` : '');
      const keys = serviceKeys(config);
      if (keys) {
        const reports = await rotateSealedValues(copy, keys, { checkOnly: true });
        summary += `; ${sealingSummary(reports, keys.currentKeyId)}`;
        closed = unopened(reports);
      }
    } finally {
      await copy.destroy();
    }
    // Checked again just before the switch: the service may have been started meanwhile.
    if (sqliteInUse(target)) return (deps.print(inUse(target)), EXIT.refused);
    let kept: string | undefined;
    if (existsSync(target)) {
      kept = `${target}.replaced-${now().toISOString().replace(/[:.]/g, '-')}`;
      // With what a stopped service may have left beside it (its WAL holds the last writes).
      for (const suffix of ['', ...SIDE_FILES]) if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${kept}${suffix}`);
    }
    renameSync(incoming, target);
    deps.print(`Restored ${backup} as ${target}: ${summary}.`);
    if (kept) deps.print(`The database it replaced is kept as ${kept}: delete it once the service works (it holds every user's tokens too).`);
    if (config.developmentKeyFile !== undefined && !existsSync(config.developmentKeyFile)) {
      deps.print(
        `WARNING: there is no encryption key here: APP_ENCRYPTION_KEY is not set and ${config.developmentKeyFile} does not exist. Set APP_ENCRYPTION_KEY to the key the backup was made with, or copy the development key file from the data folder it was made in, before starting the service (it would otherwise make a new key, which opens nothing in the backup).`,
      );
    }
    if (closed > 0) {
      deps.print(
        `WARNING: ${closed} sealed value(s) do not open with the keys configured here: start the service with the key the backup was made with (and its previous keys), or those users reconnect and those secrets are typed again.`,
      );
    }
    deps.print(`Start the service with the key the backup was made with. ${keyReminder(config)}`);
    return EXIT.ok;
  } catch (error) {
    deps.print(`The restore failed, the database was not changed: ${(error as Error).message}`);
    return EXIT.refused;
  } finally {
    removeDatabaseFiles(incoming);
  }
}
