/**
 * `oauth2-connect backup <file> [--force]`: a consistent copy of the SQLite
 * database while the service runs. The copy is written beside the target and
 * renamed into place once complete, so a failed run leaves no half file and
 * never damages an older backup given with --force.
 */
import { existsSync, realpathSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeContents, describeSealing, readContents } from './contents.js';
import { copyDatabase, openAsItIs, removeDatabaseFiles } from './sqlite_files.js';
import { EXIT, keyReminder, readFileCommand, serviceKeys, type StorageCliDeps } from './storage_cli.js';

export const BACKUP_USAGE = `usage: oauth2-connect backup <file> [--force]
  Copies the service's SQLite database to <file> while the service runs (SQLite's online backup).
  --force  replace <file> if it exists
With DATABASE_URL (PostgreSQL) it prints the pg_dump and pg_restore commands instead.`;

export async function runBackup(args: string[], deps: StorageCliDeps): Promise<number> {
  const command = readFileCommand(args, deps, BACKUP_USAGE, { force: true });
  if (typeof command === 'number') return command;
  const { config, database: source, file: target } = command;
  if (!existsSync(source)) return (deps.print(`There is no database at ${source}: nothing to back up (check APP_DATA_DIR).`), EXIT.refused);
  if (!existsSync(dirname(target))) return (deps.print(`The folder ${dirname(target)} does not exist.`), EXIT.refused);
  if (existsSync(target) && realpathSync(target) === realpathSync(source)) {
    return (deps.print('That is the service database itself: back it up to another file.'), EXIT.refused);
  }
  if (existsSync(target) && !command.force) {
    return (deps.print(`${target} exists; nothing was written. Give --force to replace it.`), EXIT.refused);
  }
  const partial = `${target}.partial-${process.pid}`;
  try {
    await copyDatabase(source, partial);
    const copy = openAsItIs(partial);
    let summary: string;
    try {
      const keys = serviceKeys(config);
      summary = describeContents(await readContents(copy)) + (keys ? `; ${await describeSealing(copy, keys)}` : '');
    } finally {
      await copy.destroy();
    }
    renameSync(partial, target);
    deps.print(`Backed up ${source} to ${target}: ${summary}.`);
    deps.print(keyReminder(config));
    return EXIT.ok;
  } catch (error) {
    deps.print(`The backup failed, nothing was written to ${target}: ${(error as Error).message}`);
    return EXIT.refused;
  } finally {
    removeDatabaseFiles(partial);
  }
}
