/**
 * Connections in SQL: one row per (user, provider) with the token set sealed
 * and bound to {kind: 'token', user_id, provider_id, origin}. A user's rows
 * come with the provider list's version in one query (withProviders), the
 * list itself from the one the process keeps (provider_repository.ts).
 */
import type { Kysely } from 'kysely';
import type { ConnectionRepository, ConnectionRow, DeletedConnection, ProviderUsers, UserConnections } from '../../../core/ports.js';
import type { TokenSet } from '@oauth2-connect/engine';
import type { Connection } from '../../../core/record_schemas.js';
import { openFor, type BoundSealer, type SealBinding } from './bound_sealer.js';
import { createConnectionLock, type ConnectionLock } from './connection_lock.js';
import { grantsFromJson, toGrant } from './grant_rows.js';
import { connectionQueries, connectionRows, toConnection, type ConnectionRead, type VersionedRow } from './connection_queries.js';
import { SqlProviderRepository } from './provider_repository.js';
import { millis, type Database } from './schema.js';
import { OpenedTokens } from './opened_tokens.js';

/** A connection the keep-alive pass may refresh, and its place in the oldest-first scan. */
export interface IdleConnection {
  user_id: string;
  provider_id: string;
  used_at: number;
}

export interface ConnectionRepositoryOptions {
  /** PostgreSQL: the lock pool (StandaloneDatabase.lockDb); absent on SQLite. */
  lockDb?: Kysely<Database>;
  now?: () => number;
  /** Whose kept provider list withProviders answers with (the service's one); else one of its own. */
  providers?: SqlProviderRepository;
}

/** A token set's binding (key rotation re-seals with it too). */
export const tokenBinding = (userId: string, providerId: string, origin: string): SealBinding => ({
  kind: 'token',
  user_id: userId,
  provider_id: providerId,
  origin,
});

export class SqlConnectionRepository implements ConnectionRepository {
  private readonly lock: ConnectionLock;
  private readonly now: () => number;
  private readonly providers: SqlProviderRepository;
  private readonly queries: ReturnType<typeof connectionQueries>;
  private readonly openedTokens = new OpenedTokens();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: BoundSealer,
    options: ConnectionRepositoryOptions = {},
  ) {
    this.lock = createConnectionLock(db, options.lockDb);
    this.now = options.now ?? Date.now;
    this.providers = options.providers ?? new SqlProviderRepository(db);
    this.queries = connectionQueries(db);
  }

  async summaries(userId: string): Promise<Record<string, Connection>> {
    const { rows } = await this.queries.summaries.run({ userId });
    return Object.fromEntries(rows.map((row) => [row.provider_id, toConnection(row)]));
  }

  /** One query: the user's rows and the list's version; the list is read again only when that version moved on. */
  async withProviders(userId: string): Promise<UserConnections> {
    const { rows } = await this.queries.withVersion.run({ userId });
    return this.viewOf(rows);
  }

  /** withProviders and the user's grants, still one query (what status reads with its admission on SQLite). */
  async withProvidersAndGrants(userId: string): Promise<UserConnections> {
    const { rows } = await this.queries.withVersionAndGrants.run({ userId });
    return this.viewOf(rows);
  }

  /** The view from rows shaped as withVersion's (the version, then a connection's columns or nulls, the grants when read), however they were read. */
  async viewOf(rows: ReadonlyArray<VersionedRow>): Promise<UserConnections> {
    const providers = await this.providers.at(Number(rows[0]?.version));
    const mine = new Map(connectionRows(rows).map((row) => [row.provider_id, row]));
    const connections = Object.fromEntries([...mine].map(([id, row]) => [id, toConnection(row)]));
    const grants = grantsFromJson(rows[0]?.grants);
    return {
      providers,
      connections,
      opened: async (providerId) => this.openedOrNone(mine.get(providerId)),
      ...(grants && { grants }),
    };
  }

  async get(userId: string, providerId: string): Promise<ConnectionRow | undefined> {
    const { rows } = await this.queries.row.run({ userId, providerId });
    return this.openedOrNone(rows[0]);
  }

  private async openedOrNone(row: ConnectionRead | undefined): Promise<ConnectionRow | undefined> {
    return row && this.opened(row);
  }

  /** One query for the provider's rows; each opened in memory (a provider removal must not wait on N queries). */
  async ofProvider(providerId: string): Promise<{ rows: ConnectionRow[]; unreadable: number }> {
    const found = await this.db.selectFrom('connections').selectAll().where('provider_id', '=', providerId).orderBy('user_id').execute();
    const rows: ConnectionRow[] = [];
    let unreadable = 0;
    for (const row of found) {
      try {
        rows.push(await this.opened(row));
      } catch {
        unreadable += 1;
      }
    }
    return { rows, unreadable };
  }

  private async opened(row: ConnectionRead): Promise<ConnectionRow> {
    const { user_id: userId, provider_id: providerId } = row;
    const binding = tokenBinding(userId, providerId, row.origin);
    return {
      user_id: userId,
      provider_id: providerId,
      origin: row.origin,
      connection: toConnection(row),
      tokens: this.openedTokens.get(row.tokens, binding) ?? (await this.openTokens(row.tokens, binding)),
      used_at: millis(row.used_at),
    };
  }

  private async openTokens(sealed: string, binding: SealBinding): Promise<TokenSet> {
    const opened = openFor(this.sealer, sealed, binding, `the connection of user ${binding.user_id} to ${binding.provider_id}`);
    const tokens = JSON.parse(opened.plaintext) as TokenSet;
    if (!opened.stale) return this.openedTokens.keep(sealed, binding, tokens);
    await this.reseal(sealed, opened.plaintext, binding);
    return tokens;
  }

  /** Re-seals under the current key, unless a refresh replaced the value meanwhile. */
  private async reseal(oldSealed: string, plaintext: string, binding: SealBinding): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({ tokens: this.sealer.seal(plaintext, binding) })
      .where('user_id', '=', binding.user_id!)
      .where('provider_id', '=', binding.provider_id!)
      .where('tokens', '=', oldSealed)
      .execute();
  }

  async save(row: ConnectionRow): Promise<void> {
    const { connection: c } = row;
    const values = {
      label: c.label,
      sub: c.sub,
      since: c.since,
      expires_at: c.expires_at ?? null,
      broken: c.broken ?? null,
      tokens: this.sealer.seal(JSON.stringify(row.tokens), tokenBinding(row.user_id, row.provider_id, row.origin)),
      origin: row.origin,
      updated_at: this.now(),
      used_at: this.now(),
    };
    await this.db
      .insertInto('connections')
      .values({ user_id: row.user_id, provider_id: row.provider_id, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'provider_id']).doUpdateSet(values))
      .execute();
  }

  /** Seals for the row's origin and updates only if that origin still holds: a reconnect meanwhile wins. */
  async saveTokens(userId: string, providerId: string, tokens: TokenSet): Promise<boolean> {
    const row = await this.db.selectFrom('connections').select('origin').where('user_id', '=', userId).where('provider_id', '=', providerId).executeTakeFirst();
    if (!row) return false;
    const result = await this.db
      .updateTable('connections')
      .set({
        tokens: this.sealer.seal(JSON.stringify(tokens), tokenBinding(userId, providerId, row.origin)),
        expires_at: tokens.expires_at ?? null,
        broken: null,
        updated_at: this.now(),
        // A refresh uses the refresh token, which is what providers watch for disuse.
        used_at: this.now(),
      })
      .where('user_id', '=', userId)
      .where('provider_id', '=', providerId)
      .where('origin', '=', row.origin)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markBroken(userId: string, providerId: string, reason: string): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({ broken: reason, updated_at: this.now() })
      .where('user_id', '=', userId)
      .where('provider_id', '=', providerId)
      .execute();
  }

  /** Only ever moves the time forward: a slower replica's older record does not undo a newer one. */
  async recordUse(userId: string, providerId: string, at: number): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('provider_id', '=', providerId)
      .where('used_at', '<', at)
      .execute();
  }

  /**
   * Unbroken connections not used since `before`, oldest first, `limit` at a time after the `after` key
   * (keyset paging on the used_at index, so a long pass does not rescan what it has seen).
   */
  async idle(before: number, limit: number, after?: IdleConnection): Promise<IdleConnection[]> {
    let query = this.db.selectFrom('connections').select(['user_id', 'provider_id', 'used_at']).where('broken', 'is', null).where('used_at', '<', before);
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('used_at', '>', after.used_at),
          eb.and([eb('used_at', '=', after.used_at), eb('user_id', '>', after.user_id)]),
          eb.and([eb('used_at', '=', after.used_at), eb('user_id', '=', after.user_id), eb('provider_id', '>', after.provider_id)]),
        ]),
      );
    const rows = await query.orderBy('used_at').orderBy('user_id').orderBy('provider_id').limit(limit).execute();
    return rows.map((row) => ({ user_id: row.user_id, provider_id: row.provider_id, used_at: millis(row.used_at) }));
  }

  /**
   * The user's grants to integrations at this provider end with the connection (a reconnect asks for consent
   * again). The grants answered are the rows the delete removed (RETURNING), so each one ended gets its audit
   * entry, a grant given between a read and the delete included. The connection goes first: a grant is
   * written only while its connection exists, checked with a lock on that row (token_client_repository.ts
   * grant), so once the row is deleted no grant can join, and one written before is among those deleted.
   */
  async delete(userId: string, providerId: string): Promise<DeletedConnection> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('connections').where('user_id', '=', userId).where('provider_id', '=', providerId).executeTakeFirst();
      const grants = await trx.deleteFrom('token_grants').where('user_id', '=', userId).where('provider_id', '=', providerId).returningAll().execute();
      // Ordered by client, as grantsOf lists them: RETURNING gives the rows in no stated order.
      const endedGrants = grants.map(toGrant).sort((a, b) => a.client_id.localeCompare(b.client_id));
      return { deleted: result.numDeletedRows > 0n, endedGrants };
    });
  }

  /** Read from the database (every replica sees the same), one ordered scan. */
  async report(): Promise<Record<string, ProviderUsers>> {
    const rows = await this.db.selectFrom('connections').select(['provider_id', 'user_id', 'broken']).orderBy('provider_id').orderBy('user_id').execute();
    const report: Record<string, ProviderUsers> = {};
    for (const row of rows) {
      const entry = (report[row.provider_id] ??= { connected: [], broken: [] });
      (row.broken === null ? entry.connected : entry.broken).push(row.user_id);
    }
    return report;
  }

  /** Connected and broken counts per provider (GROUP BY in the database), for a large report's summary. */
  async counts(): Promise<Record<string, { connected: number; broken: number }>> {
    const rows = await this.db
      .selectFrom('connections')
      .select((eb) => ['provider_id', eb.fn.countAll<number | string>().as('total'), eb.fn.count<number | string>('broken').as('broken')])
      .groupBy('provider_id')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.provider_id, { connected: Number(r.total) - Number(r.broken), broken: Number(r.broken) }]));
  }

  /**
   * Runs fn holding the (user, provider) lock across every process on this
   * database. fn must re-read the row inside (get) before acting: the value
   * read before the lock may be stale by the time it is held.
   */
  withLock<T>(userId: string, providerId: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.withLock(userId, providerId, fn);
  }
}
