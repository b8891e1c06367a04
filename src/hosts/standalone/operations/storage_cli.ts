/**
 * What `oauth2-connect backup`, `restore` and `rotate-key` share: the
 * service's own configuration (the same storage and keys as `npm start`), the
 * storage named as setup names it, and the words about the encryption key
 * that every backup needs beside it. Nothing here prints a key or a token.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, maskDatabaseUrl, type Config } from '../../../config/index.js';
import { withDevelopmentKey } from '../../../config/development_key.js';
import { describeStorage } from '../setup/setup_cli.js';
import type { SealingKeys } from '../db/sealer.js';

export interface StorageCliDeps {
  env: Record<string, string | undefined>;
  print(text: string): void;
}

/** Exit codes: 0 done, 1 refused or something left to do, 2 bad usage or configuration. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** The configuration, or undefined once the problem is printed. */
export function loadServiceConfig(deps: StorageCliDeps): Readonly<Config> | undefined {
  try {
    const config = loadConfig(deps.env);
    deps.print(`Storage: ${describeStorage(config.database)} (DATABASE_URL, else the SQLite file in APP_DATA_DIR)`);
    return config;
  } catch (error) {
    deps.print(error instanceof ConfigError ? error.message : String(error));
    return undefined;
  }
}

/**
 * The keys the service seals with. Without APP_ENCRYPTION_KEY that is the development key in the
 * data folder; undefined when there is none there yet (nothing is sealed with a key that does not exist).
 */
export function serviceKeys(config: Readonly<Config>): SealingKeys | undefined {
  if (config.developmentKeyFile !== undefined && !existsSync(config.developmentKeyFile)) return undefined;
  return withDevelopmentKey(config);
}

/** Where the current key comes from, by name (never its value). */
export function keySource(config: Readonly<Config>): string {
  return config.developmentKeyFile === undefined
    ? `APP_ENCRYPTION_KEY (id ${config.currentKeyId})`
    : `the development key in ${config.developmentKeyFile} (APP_ENCRYPTION_KEY is not set)`;
}

/** Printed with every backup, restore and PostgreSQL advice. */
export function keyReminder(config: Readonly<Config>): string {
  return (
    `Keep the encryption key with the backup, as safely as the backup itself: ${keySource(config)}, and any key in ` +
    `APP_PREVIOUS_ENCRYPTION_KEYS that its values are still under. Without the key the backup is useless; with it, the ` +
    `backup is every user's provider tokens. The key is not in the backup and is not printed here.`
  );
}

/** For backup and restore when DATABASE_URL names PostgreSQL: the commands to use instead. */
export function postgresAdvice(config: Readonly<Config>, url: string): string {
  return [
    `DATABASE_URL names PostgreSQL (${maskDatabaseUrl(url)}): this command copies the SQLite file only. Use PostgreSQL's own tools:`,
    `  back up (while the service runs; one consistent snapshot):`,
    `    pg_dump --format=custom --file=oauth2-connect.dump "$DATABASE_URL"`,
    `  restore (with every replica stopped; the service migrates an older schema when it starts, and refuses a newer one):`,
    `    pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" oauth2-connect.dump`,
    keyReminder(config),
  ].join('\n');
}

/** What a SQLite file command (backup, restore) works with once its arguments and configuration are read. */
export interface FileCommand {
  config: Readonly<Config>;
  /** The service's SQLite database. */
  database: string;
  /** The one file named on the command line, resolved. */
  file: string;
  force: boolean;
}

/**
 * The arguments and configuration of backup and restore: usage on a parse error or `--help`, the
 * PostgreSQL advice with DATABASE_URL, usage again unless exactly one file is named; otherwise what
 * the command works with. A number is the exit code, everything already printed.
 */
export function readFileCommand(args: string[], deps: StorageCliDeps, usage: string, options: { force: boolean }): FileCommand | number {
  let parsed;
  try {
    const flags: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
    if (options.force) flags.force = { type: 'boolean' };
    parsed = parseArgs({ args, allowPositionals: true, options: flags });
  } catch (error) {
    deps.print(`${(error as Error).message}\n${usage}`);
    return EXIT.usage;
  }
  if (parsed.values.help) return (deps.print(usage), EXIT.ok);
  const config = loadServiceConfig(deps);
  if (!config) return EXIT.usage;
  if (config.database.kind === 'postgres') return (deps.print(postgresAdvice(config, config.database.url)), EXIT.usage);
  if (parsed.positionals.length !== 1) return (deps.print(usage), EXIT.usage);
  const force = parsed.values.force === true;
  return { config, database: config.database.file, file: resolve(parsed.positionals[0]!), force };
}
