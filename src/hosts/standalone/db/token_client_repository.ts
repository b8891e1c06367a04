/**
 * The token API's clients and grants in SQL (the core's TokenClientStore).
 * A client is found by the hash of its credential (a unique column); lists
 * are JSON text. Removing a client removes its grants in the same transaction;
 * a grant is stored only while its client exists and the user is connected to
 * its provider.
 * The token endpoint's two reads (the client by its credential, the grant) are
 * compiled once (compiled_query.ts), as the command path's are.
 */
import { PostgresAdapter, type Kysely, type Selectable } from 'kysely';
import { compileOnce } from './compiled_query.js';
import type { TokenClient, TokenClientStore, TokenGrant } from '../../../core/token_api/types.js';
import { texts, toGrant } from './grant_rows.js';
import { millis, optionalMillis, type Database, type TokenClientsTable } from './schema.js';

export const CLIENT = [
  'id',
  'name',
  'providers',
  'scopes',
  'sources',
  'rate_per_minute',
  'credential_hash',
  'created_by',
  'created_at',
  'credential_at',
  'last_used_at',
] as const;
export const GRANT = ['user_id', 'client_id', 'provider_id', 'scopes', 'granted_at', 'last_used_at'] as const;

function hotQueries(db: Kysely<Database>) {
  return {
    byHash: compileOnce(db, ['hash'], (s) => db.selectFrom('token_clients').select(CLIENT).where('credential_hash', '=', s.hash)),
    grant: compileOnce(db, ['userId', 'clientId', 'providerId'], (s) =>
      db.selectFrom('token_grants').select(GRANT).where('user_id', '=', s.userId).where('client_id', '=', s.clientId).where('provider_id', '=', s.providerId),
    ),
  };
}

export function toClient(row: Selectable<TokenClientsTable>): TokenClient {
  const last = optionalMillis(row.last_used_at);
  return {
    id: row.id,
    name: row.name,
    providers: texts(row.providers),
    scopes: texts(row.scopes),
    sources: texts(row.sources),
    rate_per_minute: Number(row.rate_per_minute),
    created_by: row.created_by,
    created_at: millis(row.created_at),
    credential_at: millis(row.credential_at),
    ...(last !== undefined && { last_used_at: last }),
  };
}

export class SqlTokenClientStore implements TokenClientStore {
  private readonly queries: ReturnType<typeof hotQueries>;

  private readonly postgres: boolean;

  constructor(private readonly db: Kysely<Database>) {
    this.queries = hotQueries(db);
    this.postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async list(): Promise<TokenClient[]> {
    return (await this.db.selectFrom('token_clients').selectAll().orderBy('id').execute()).map(toClient);
  }

  async get(id: string): Promise<TokenClient | undefined> {
    const row = await this.db.selectFrom('token_clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toClient(row);
  }

  async byCredentialHash(hash: string): Promise<{ client: TokenClient; hash: string } | undefined> {
    const row = (await this.queries.byHash.run({ hash })).rows[0];
    return row && { client: toClient(row), hash: row.credential_hash };
  }

  async create(client: TokenClient, credentialHash: string): Promise<boolean> {
    const result = await this.db
      .insertInto('token_clients')
      .values({
        id: client.id,
        name: client.name,
        providers: JSON.stringify(client.providers),
        scopes: JSON.stringify(client.scopes),
        sources: JSON.stringify(client.sources),
        rate_per_minute: client.rate_per_minute,
        credential_hash: credentialHash,
        created_by: client.created_by,
        created_at: client.created_at,
        credential_at: client.credential_at,
        last_used_at: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async rotate(id: string, credentialHash: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('token_clients')
      .set({ credential_hash: credentialHash, credential_at: at })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The client first, then its grants: grant() locks the client row before it writes, so both take their locks in one order. */
  async remove(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('token_clients').where('id', '=', id).executeTakeFirst();
      await trx.deleteFrom('token_grants').where('client_id', '=', id).execute();
      return result.numDeletedRows > 0n;
    });
  }

  /**
   * The grant is written only while its client and the user's connection to the provider exist, checked by
   * the writing statement itself (INSERT ... SELECT ... WHERE EXISTS), so a disconnect or the client's removal
   * between a caller's read and this write leaves no grant behind its connection or its client. On PostgreSQL
   * the checks lock both rows (FOR KEY SHARE): a delete of either still open makes this wait and then find it
   * gone, and a delete that comes after waits for this write, whose grant its next statement then removes
   * (connection_repository.ts and remove() delete the connection or the client first, then its grants, so
   * both sides take their locks in one order).
   */
  async grant(grant: TokenGrant, clientCreatedAt?: number): Promise<boolean> {
    const result = await this.db
      .insertInto('token_grants')
      .columns(['user_id', 'client_id', 'provider_id', 'scopes', 'granted_at'])
      .expression(
        this.db
          .selectNoFrom((eb) => [
            eb.val(grant.user_id).as('user_id'),
            eb.val(grant.client_id).as('client_id'),
            eb.val(grant.provider_id).as('provider_id'),
            eb.val(JSON.stringify(grant.scopes)).as('scopes'),
            eb.val(grant.granted_at).as('granted_at'),
          ])
          .where((eb) => eb.and([eb.exists(this.clientRow(grant.client_id, clientCreatedAt)), eb.exists(this.connectionOf(grant.user_id, grant.provider_id))])),
      )
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'client_id', 'provider_id'])
          .doUpdateSet((eb) => ({ scopes: eb.ref('excluded.scopes'), granted_at: eb.ref('excluded.granted_at') })),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * The client row as grant's check reads it (the one registered at `createdAt`, when given): locked against its
   * delete on PostgreSQL (SQLite has one writer at a time).
   */
  private clientRow(clientId: string, createdAt?: number) {
    const byId = this.db.selectFrom('token_clients').select('id').where('id', '=', clientId);
    const row = createdAt === undefined ? byId : byId.where('created_at', '=', createdAt);
    return this.postgres ? row.forKeyShare() : row;
  }

  /** The user's connection row as grant's check reads it: locked against its delete on PostgreSQL (SQLite has one writer at a time). */
  private connectionOf(userId: string, providerId: string) {
    const row = this.db.selectFrom('connections').select('user_id').where('user_id', '=', userId).where('provider_id', '=', providerId);
    return this.postgres ? row.forKeyShare() : row;
  }

  async getGrant(userId: string, clientId: string, providerId: string): Promise<TokenGrant | undefined> {
    const row = (await this.queries.grant.run({ userId, clientId, providerId })).rows[0];
    return row && toGrant(row);
  }

  async grantsOf(userId: string): Promise<TokenGrant[]> {
    return (await this.db.selectFrom('token_grants').selectAll().where('user_id', '=', userId).orderBy('client_id').orderBy('provider_id').execute()).map(
      toGrant,
    );
  }

  async allGrants(): Promise<TokenGrant[]> {
    return (await this.db.selectFrom('token_grants').selectAll().orderBy('client_id').orderBy('user_id').execute()).map(toGrant);
  }

  async revokeGrant(userId: string, clientId: string, providerId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('token_grants')
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('provider_id', '=', providerId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async touch(clientId: string, userId: string, providerId: string, at: number): Promise<void> {
    await this.db.updateTable('token_clients').set({ last_used_at: at }).where('id', '=', clientId).execute();
    await this.db
      .updateTable('token_grants')
      .set({ last_used_at: at })
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('provider_id', '=', providerId)
      .execute();
  }
}
