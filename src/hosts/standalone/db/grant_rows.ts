/**
 * A user's token API grants as the repository reads them (token_client_repository.ts
 * grantsOf), and the same grants as one JSON column of the statement that reads
 * the user's view (connection_queries.ts, command_admission.ts): status lists
 * them, so reading them there saves status a statement on SQLite and a round
 * trip on PostgreSQL. Both orders are the database's (client, then provider),
 * so either read lists them alike.
 */
import { sql, type Expression, type RawBuilder, type Selectable } from 'kysely';
import type { TokenGrant } from '../../../core/token_api/types.js';
import { millis, optionalMillis, type TokenGrantsTable } from './schema.js';

/** A JSON list of strings (the lists stored as JSON text); anything else is an empty list. */
export const texts = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

export function toGrant(row: Selectable<TokenGrantsTable>): TokenGrant {
  const last = optionalMillis(row.last_used_at);
  return {
    user_id: row.user_id,
    client_id: row.client_id,
    provider_id: row.provider_id,
    scopes: texts(row.scopes),
    granted_at: millis(row.granted_at),
    ...(last !== undefined && { last_used_at: last }),
  };
}

/**
 * The user's grants as one JSON array (never null), each element a grant row's columns, ordered as grantsOf
 * orders them. PostgreSQL: json_agg with its ORDER BY; SQLite: json_group_array over an ordered subquery
 * (json() keeps each object JSON, not a quoted string).
 */
export function userGrantsJson(kind: 'sqlite' | 'postgres', userId: Expression<string>): RawBuilder<unknown> {
  if (kind === 'postgres')
    return sql`(select coalesce(json_agg(json_build_object('user_id', g.user_id, 'client_id', g.client_id, 'provider_id', g.provider_id,
        'scopes', g.scopes, 'granted_at', g.granted_at, 'last_used_at', g.last_used_at) order by g.client_id, g.provider_id), '[]'::json)
      from token_grants g where g.user_id = ${userId}::text)`;
  return sql`(select json_group_array(json(grant_row)) from (select json_object('user_id', user_id, 'client_id', client_id, 'provider_id', provider_id,
      'scopes', scopes, 'granted_at', granted_at, 'last_used_at', last_used_at) as grant_row
      from token_grants where user_id = ${userId} order by client_id, provider_id))`;
}

/** The grants of a userGrantsJson column (PostgreSQL's driver hands JSON parsed, SQLite's as text); undefined when it was not read. */
export function grantsFromJson(value: unknown): TokenGrant[] | undefined {
  if (value === null || value === undefined) return undefined;
  const rows: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(rows) ? (rows as Selectable<TokenGrantsTable>[]).map(toGrant) : undefined;
}
