/**
 * `oauth2-connect rotate-key [--check] [--batch-size N]`: re-seals every
 * sealed value under the current key while the service runs (db/key_rotation.ts),
 * reports counts per kind, and says when APP_PREVIOUS_ENCRYPTION_KEYS can be
 * emptied. --check only counts. Its output names key ids and row ids, never
 * a key, a token or a secret.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, type StandaloneDatabase } from '../db/open_database.js';
import { MIGRATIONS } from '../db/migrations.js';
import { DEFAULT_BATCH_SIZE, previousKeysNeeded, rotateSealedValues, type KindReport } from '../db/key_rotation.js';
import { EXIT, keySource, loadServiceConfig, serviceKeys, type StorageCliDeps } from './storage_cli.js';

export const ROTATE_USAGE = `usage: oauth2-connect rotate-key [--check] [--batch-size N]
  Seals every stored secret (users' tokens, providers' client secrets, the bot token, the
  sign-in app's secret) again under the current key (APP_ENCRYPTION_KEY), N rows per
  transaction (default ${DEFAULT_BATCH_SIZE}), while the service runs. Every replica must already run with
  the new key as APP_ENCRYPTION_KEY and the old one in APP_PREVIOUS_ENCRYPTION_KEYS.
  --check  only count what is still under a previous key (exit 1 while anything is)`;

const MAX_BATCH = 10_000;

export async function runRotateKey(args: string[], deps: StorageCliDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { check: { type: 'boolean' }, 'batch-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    deps.print(`${(error as Error).message}\n${ROTATE_USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help) return (deps.print(ROTATE_USAGE), EXIT.ok);
  const batchSize = Number(parsed.values['batch-size'] ?? DEFAULT_BATCH_SIZE);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    deps.print(`--batch-size must be a whole number from 1 to ${MAX_BATCH}.\n${ROTATE_USAGE}`);
    return EXIT.usage;
  }
  const config = loadServiceConfig(deps);
  if (!config) return EXIT.usage;
  const keys = serviceKeys(config);
  if (!keys) return (deps.print(`No encryption key: set APP_ENCRYPTION_KEY as the service has it.`), EXIT.usage);
  const previous = keys.encryptionKeys.filter((k) => k.id !== keys.currentKeyId).map((k) => k.id);
  deps.print(`Current key: ${keySource(config)}; previous keys: ${previous.join(', ') || 'none'}`);
  let database: StandaloneDatabase;
  try {
    // Never migrated from here: the running service owns its schema.
    database = await openDatabase(config.database, { migrate: false });
  } catch (error) {
    deps.print(`Cannot open the service's storage: ${(error as Error).message}`);
    return EXIT.usage;
  }
  try {
    const schemaProblem = await schemaMismatch(database);
    if (schemaProblem) return (deps.print(schemaProblem), EXIT.usage);
    const check = parsed.values.check === true;
    const reports = await rotateSealedValues(database.db, keys, { checkOnly: check, batchSize });
    for (const report of reports) deps.print(check ? checkLine(report, keys.currentKeyId) : rotationLine(report, keys.currentKeyId));
    return conclusion(reports, deps, check);
  } catch (error) {
    deps.print(`The rotation stopped (what was done is kept; run it again to go on): ${(error as Error).message}`);
    return EXIT.refused;
  } finally {
    await database.close();
  }
}

/** The schema must be this version's: the rotation knows this version's sealed columns only. */
async function schemaMismatch(database: StandaloneDatabase): Promise<string | undefined> {
  let applied: string[];
  try {
    applied = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)).rows.map((r) => r.name);
  } catch {
    return 'The storage holds no OAuth2 Connect schema: start the service once (or check DATABASE_URL and APP_DATA_DIR).';
  }
  const expected = Object.keys(MIGRATIONS);
  if (applied.join() === expected.join()) return undefined;
  return applied.some((name) => !expected.includes(name))
    ? 'The database schema is newer than this version: run rotate-key from the version the service runs.'
    : 'The database schema is older than this version: start the service of this version first (it migrates the schema), then rotate.';
}

function extras(report: KindReport): string {
  const parts: string[] = [];
  if (report.changing > 0) parts.push(`${report.changing} changed by the service each time they were written (run again)`);
  if (report.unreadable > 0) parts.push(`${report.unreadable} open with no configured key or not for their row`);
  return parts.map((p) => `, ${p}`).join('');
}

function previousPart(report: KindReport): string {
  const ids = Object.entries(report.previous);
  const under =
    ids.length > 0 ? `${ids.reduce((n, [, c]) => n + c, 0)} under previous keys (${ids.map(([id, n]) => `${id}: ${n}`).join(', ')})` : '0 under previous keys';
  return report.unbound > 0 ? `${under}, ${report.unbound} in the first, unbound format` : under;
}

function rotationLine(report: KindReport, current: string): string {
  return `${report.kind}: ${report.resealed} re-sealed under ${current}, ${report.current} already under it${extras(report)}`;
}

function checkLine(report: KindReport, current: string): string {
  return `${report.kind}: ${report.current} under ${current}, ${previousPart(report)}${extras(report)}`;
}

function conclusion(reports: KindReport[], deps: StorageCliDeps, check: boolean): number {
  for (const row of reports.flatMap((r) => r.unreadableRows)) deps.print(`  unreadable: ${row}`);
  const unreadable = reports.reduce((n, r) => n + r.unreadable, 0);
  if (unreadable > 0) {
    deps.print(
      `${unreadable} value(s) open with no configured key, or not for their row (named above): nothing can re-seal them, and removing a key does not change them; those users reconnect.`,
    );
  }
  const left = previousKeysNeeded(reports);
  if (left === 0) {
    deps.print('Nothing is sealed under a previous key: APP_PREVIOUS_ENCRYPTION_KEYS can be emptied (then restart every replica).');
    return EXIT.ok;
  }
  deps.print(
    check
      ? `${left} value(s) are still under a previous key: run \`oauth2-connect rotate-key\`, and keep APP_PREVIOUS_ENCRYPTION_KEYS until this check says nothing is.`
      : `${left} value(s) are still under a previous key: run \`oauth2-connect rotate-key\` again; keep APP_PREVIOUS_ENCRYPTION_KEYS until \`rotate-key --check\` says nothing is.`,
  );
  return EXIT.refused;
}
