/**
 * Key rotation that ends: every sealed value the host stores (sealed_columns.ts)
 * is read in key order, a bounded batch at a time, and each one still under a
 * previous key (or in the first, unbound format) is sealed again under the
 * current key. The service keeps running meanwhile: each write is a
 * compare-and-set on the sealed value read, so a value a refresh (or a
 * reconnect, or setup) replaced after the read is never overwritten with the
 * stale one; such a row is read again and checked once more. Nothing is
 * remembered between runs: a run that stopped half-way is resumed by running
 * it again, and a run with nothing left to do changes nothing.
 */
import type { Kysely } from 'kysely';
import { TokenCipherError } from '@oauth2-connect/engine';
import type { SecretSealer } from '../../../core/secret_sealer.js';
import type { Database } from './schema.js';
import { SEALED_COLUMNS, type SealedColumn, type SealedValue } from './sealed_columns.js';
import { createStandaloneSealer, type SealingKeys } from './sealer.js';

export const DEFAULT_BATCH_SIZE = 500;
/** How many times a row that changed under the rotation is read again before it is left for the next run. */
const RETRIES = 3;
/** Unreadable rows named in a report (ids only, never a value), so a huge table does not flood it. */
const NAMED_ROWS = 20;

/** What one kind of sealed value looks like after a run (or a check). */
export interface KindReport {
  kind: string;
  /** Under the current key (before the run, or put there by the service meanwhile). */
  current: number;
  /** Re-sealed by this run. */
  resealed: number;
  /** Still under a configured previous key, by key id (a check; or rows that kept changing during a run). */
  previous: Record<string, number>;
  /** In the first sealed format (bound to no row), under the current key id. */
  unbound: number;
  /** Changed by the service each time this run tried to write them: the next run re-seals them. */
  changing: number;
  /** Values that open with no configured key or not for their row: nothing can re-seal them. */
  unreadable: number;
  /** Of those, the ones sealed with a key id that is not configured at all, by key id. */
  unknownKeys: Record<string, number>;
  /** The first unreadable rows, named by their ids. */
  unreadableRows: string[];
}

export interface RotationOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Only count, change nothing (`rotate-key --check`). */
  checkOnly?: boolean;
  /** Called with the rows of each batch once they are re-sealed in memory and before they are written. */
  beforeWrite?: (kind: string, keys: string[][]) => Promise<void>;
}

type Cell = string | number | null;
type Row = Record<string, Cell>;
/** The tables walked generically, by the names SEALED_COLUMNS gives. */
type AnyDb = Kysely<{ sealed: Row }>;
type State = { state: 'current' } | { state: 'unbound' } | { state: 'previous'; keyId: string } | { state: 'unreadable'; reason: string; unknownKey?: string };

/** Anything under a previous key or unbound left: APP_PREVIOUS_ENCRYPTION_KEYS is still needed. */
export function previousKeysNeeded(reports: KindReport[]): number {
  return reports.reduce((sum, r) => sum + r.unbound + r.changing + Object.values(r.previous).reduce((a, b) => a + b, 0), 0);
}

/** Runs the rotation (or the check) over every sealed column, one kind after the other. */
export async function rotateSealedValues(db: Kysely<Database>, keys: SealingKeys, options: RotationOptions = {}): Promise<KindReport[]> {
  const rotation = new Rotation(db as unknown as AnyDb, keys, options);
  const reports: KindReport[] = [];
  for (const column of SEALED_COLUMNS) reports.push(await rotation.run(column));
  return reports;
}

class Rotation {
  private readonly sealer: SecretSealer;
  /** Opens only what is under the current key: what it refuses as an unknown key names the key the value is under. */
  private readonly currentOnly: SecretSealer;
  private readonly configured: Set<string>;
  private readonly batchSize: number;

  constructor(
    private readonly db: AnyDb,
    keys: SealingKeys,
    private readonly options: RotationOptions,
  ) {
    this.sealer = createStandaloneSealer(keys);
    const current = keys.encryptionKeys.filter((k) => k.id === keys.currentKeyId);
    this.currentOnly = createStandaloneSealer({ ...keys, encryptionKeys: current });
    this.configured = new Set(keys.encryptionKeys.map((k) => k.id));
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  async run(column: SealedColumn): Promise<KindReport> {
    const report: KindReport = {
      kind: column.kind,
      current: 0,
      resealed: 0,
      previous: {},
      unbound: 0,
      changing: 0,
      unreadable: 0,
      unknownKeys: {},
      unreadableRows: [],
    };
    let after: Cell[] | undefined;
    for (;;) {
      const rows = await this.batch(column, after);
      if (rows.length === 0) break;
      after = column.keyColumns.map((k) => rows[rows.length - 1]![k] ?? null);
      const changed = await this.rotateRows(column, rows, report);
      for (let attempt = 0; attempt < RETRIES && changed.length > 0; attempt += 1) {
        const again = (await Promise.all(changed.splice(0).map((key) => this.row(column, key)))).filter((r): r is Row => r !== undefined);
        changed.push(...(await this.rotateRows(column, again, report)));
      }
      report.changing += changed.length;
      if (rows.length < this.batchSize) break;
    }
    return report;
  }

  /** Counts the rows and re-seals the stale ones in one transaction; returns the keys of rows that changed since read. */
  private async rotateRows(column: SealedColumn, rows: Row[], report: KindReport): Promise<Cell[][]> {
    const writes: Array<{ key: Cell[]; old: Cell; value: string }> = [];
    for (const row of rows) {
      const key = column.keyColumns.map((k) => row[k] ?? null);
      const found = this.sealedIn(column, row);
      if (found === undefined) continue;
      const state = 'reason' in found ? { state: 'unreadable' as const, reason: found.reason } : this.classify(found);
      if (state.state === 'current' || state.state === 'unreadable' || this.options.checkOnly) {
        this.count(report, column, state, key);
        continue;
      }
      const reopened = this.reseal(found as SealedValue);
      if (reopened === undefined) this.count(report, column, { state: 'unreadable', reason: 'does not open' }, key);
      else writes.push({ key, old: row[column.column] ?? null, value: column.withSealed(row as never, reopened) });
    }
    if (writes.length === 0) return [];
    await this.options.beforeWrite?.(
      column.kind,
      writes.map((w) => w.key.map(String)),
    );
    const changed: Cell[][] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const write of writes) {
        let update = trx.updateTable(column.table as 'sealed').set({ [column.column]: write.value });
        column.keyColumns.forEach((k, i) => (update = update.where(k as string, '=', write.key[i]!)));
        const result = await update.where(column.column as string, '=', write.old).executeTakeFirst();
        if (result.numUpdatedRows > 0n) report.resealed += 1;
        else changed.push(write.key);
      }
    });
    return changed;
  }

  private sealedIn(column: SealedColumn, row: Row): SealedValue | { reason: string } | undefined {
    try {
      return column.sealedIn(row as never);
    } catch {
      // A record that does not parse, or a provider whose origin cannot be worked out.
      return { reason: 'unreadable row' };
    }
  }

  private classify(value: SealedValue): State {
    try {
      return this.currentOnly.open(value.sealed, value.binding).stale ? { state: 'unbound' } : { state: 'current' };
    } catch (error) {
      if (error instanceof TokenCipherError && error.reason === 'unknown_key' && error.keyId && this.configured.has(error.keyId)) {
        return { state: 'previous', keyId: error.keyId };
      }
      if (error instanceof TokenCipherError && error.reason === 'unknown_key' && error.keyId) {
        return { state: 'unreadable', reason: `key ${error.keyId} is not configured`, unknownKey: error.keyId };
      }
      return { state: 'unreadable', reason: error instanceof TokenCipherError ? error.reason : 'does not open' };
    }
  }

  /** The value sealed again under the current key; undefined when it does not open. */
  private reseal(value: SealedValue): string | undefined {
    try {
      return this.sealer.seal(this.sealer.open(value.sealed, value.binding).plaintext, value.binding);
    } catch {
      return undefined;
    }
  }

  private count(report: KindReport, column: SealedColumn, state: State, key: Cell[]): void {
    if (state.state === 'current') report.current += 1;
    else if (state.state === 'unbound') report.unbound += 1;
    else if (state.state === 'previous') report.previous[state.keyId] = (report.previous[state.keyId] ?? 0) + 1;
    else {
      report.unreadable += 1;
      if (state.unknownKey) report.unknownKeys[state.unknownKey] = (report.unknownKeys[state.unknownKey] ?? 0) + 1;
      if (report.unreadableRows.length < NAMED_ROWS) {
        report.unreadableRows.push(`${column.table} ${column.keyColumns.map((k, i) => `${k}=${String(key[i])}`).join(' ')} (${state.reason})`);
      }
    }
  }

  /** The next rows after `after` in key order (keyset: (a > x) or (a = x and b > y)). */
  private batch(column: SealedColumn, after: Cell[] | undefined): Promise<Row[]> {
    let query = this.db.selectFrom(column.table as 'sealed').selectAll();
    if (after !== undefined) {
      const keys = column.keyColumns;
      query = query.where((eb) =>
        eb.or(keys.map((k, i) => eb.and([...keys.slice(0, i).map((p, j) => eb(p as string, '=', after[j]!)), eb(k as string, '>', after[i]!)]))),
      );
    }
    for (const k of column.keyColumns) query = query.orderBy(k);
    return query.limit(this.batchSize).execute();
  }

  private async row(column: SealedColumn, key: Cell[]): Promise<Row | undefined> {
    let query = this.db.selectFrom(column.table as 'sealed').selectAll();
    column.keyColumns.forEach((k, i) => (query = query.where(k as string, '=', key[i]!)));
    return query.executeTakeFirst();
  }
}
