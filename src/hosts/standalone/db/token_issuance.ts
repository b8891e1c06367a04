/**
 * The token endpoint's reads in one statement (ports.ts TokenIssuanceReader):
 * the client by its credential's hash, the provider list's version, the
 * user's grant to that client at the provider and the user's row there, each
 * joined to the client's row, so an unknown credential reads nothing else.
 * Compiled once (compiled_query.ts); on PostgreSQL one round trip where it
 * was two (the client, then the grant and the view at the same time). Every
 * request reads the client's row: a credential rotated or a client removed
 * by any replica is refused at the next request everywhere, with no cache to
 * invalidate.
 */
import type { Kysely } from 'kysely';
import type { IssuanceRead, TokenIssuanceReader } from '../ports.js';
import { compileOnce } from './compiled_query.js';
import { ROW } from './connection_queries.js';
import type { SqlConnectionRepository } from './connection_repository.js';
import type { Database } from './schema.js';
import { CLIENT, toClient } from './token_client_repository.js';
import { toGrant } from './grant_rows.js';

function issuanceQuery(db: Kysely<Database>) {
  return compileOnce(db, ['hash', 'userId', 'providerId'], (s) =>
    db
      .selectFrom('token_clients as tc')
      .innerJoin('provider_list_version as v', (join) => join.on('v.id', '=', 1))
      .leftJoin('token_grants as g', (join) => join.onRef('g.client_id', '=', 'tc.id').on('g.user_id', '=', s.userId).on('g.provider_id', '=', s.providerId))
      .leftJoin('connections as c', (join) => join.on('c.user_id', '=', s.userId).on('c.provider_id', '=', s.providerId))
      .select([
        ...CLIENT.map((column) => `tc.${column}` as const),
        'g.scopes as grant_scopes',
        'g.granted_at as grant_granted_at',
        'g.last_used_at as grant_last_used_at',
        'v.version',
        ...ROW.map((column) => `c.${column}` as const),
      ])
      .where('tc.credential_hash', '=', s.hash),
  );
}

export class SqlTokenIssuance implements TokenIssuanceReader {
  private readonly query: ReturnType<typeof issuanceQuery>;

  constructor(
    db: Kysely<Database>,
    private readonly connections: SqlConnectionRepository,
  ) {
    this.query = issuanceQuery(db);
  }

  async read(credentialHash: string, userId: string, providerId: string): Promise<IssuanceRead> {
    const row = (await this.query.run({ hash: credentialHash, userId, providerId })).rows[0];
    if (!row) return {};
    const client = toClient(row);
    const { grant_scopes: scopes, grant_granted_at: grantedAt } = row;
    // The grant's columns are all null when the left join found none (granted_at is never null in a row).
    const grant =
      scopes !== null && grantedAt !== null
        ? toGrant({ user_id: userId, client_id: client.id, provider_id: providerId, scopes, granted_at: grantedAt, last_used_at: row.grant_last_used_at })
        : undefined;
    const view = await this.connections.viewOf([row]);
    return { found: { client, hash: row.credential_hash }, ...(grant && { grant }), view };
  }
}
