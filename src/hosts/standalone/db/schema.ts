/**
 * The standalone host's tables, typed for Kysely. One schema for SQLite and
 * PostgreSQL: times are epoch milliseconds in bigint columns (pg returns
 * bigint as a string, so readers convert with Number()), JSON is text, and
 * secrets are sealed text bound to their row.
 */
import type { ColumnType } from 'kysely';

/** Epoch ms: written as a number, read as number (SQLite) or string (pg bigint). */
export type Millis = ColumnType<number | string, number, number>;
export type NullableMillis = ColumnType<number | string | null, number | null, number | null>;

export interface ProvidersTable {
  id: string;
  /** The StoredProvider record as JSON (its client secret already sealed by the core). */
  record: string;
  created_at: Millis;
  updated_at: Millis;
}

/** One row (id 1) whose version every change to providers moves on (migration 0004's trigger). */
export interface ProviderListVersionTable {
  id: number;
  /** bigint: pg returns it as a string. */
  version: ColumnType<number | string, number, number>;
}

export interface ConnectionsTable {
  user_id: string;
  provider_id: string;
  label: string;
  sub: string;
  since: Millis;
  expires_at: NullableMillis;
  broken: string | null;
  /** The TokenSet as JSON, sealed with {kind: 'token', user_id, provider_id, origin}. */
  tokens: string;
  origin: string;
  updated_at: Millis;
  /** The last call with its token or refresh; a call writes it at most hourly (core/token_use.ts), so it is that coarse. */
  used_at: Millis;
}

/** A named lease (migration 0011): the replica holding it runs that background pass; next_at spaces the passes out. */
export interface LeasesTable {
  name: string;
  holder: string;
  held_until: Millis;
  next_at: Millis;
}

export interface InstallationTable {
  /** Always 1: there is one installation. */
  id: number;
  mattermost_url: string;
  bot_user_id: string;
  bot_username: string;
  /** Sealed with {kind: 'setting', scope: 'bot_token'}. */
  bot_token: string;
  oauth_client_id: string;
  /** Sealed with {kind: 'setting', scope: 'oauth_client_secret'}. */
  oauth_client_secret: string;
  /** 'regular' or 'admin' (BotRole). */
  bot_role: string;
  /** '' in a row made before migration 0003 (no id recorded). */
  installation_id: string;
  /** 1: setup found the Apps plugin active, 0: it did not, null: not recorded. */
  apps_plugin: ColumnType<number | null, number | null | undefined, number | null>;
  updated_at: Millis;
}

export interface TeamCommandsTable {
  team_id: string;
  command_id: string;
  token_hash: string;
  /** '' when not recorded. */
  creator_id: string;
  /** '' when not recorded. */
  fields_hash: string;
  updated_at: Millis;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface OneTimeTable {
  key_hash: string;
  purpose: string;
  user_id: string;
  provider_id: string;
  data: string | null;
  expires_at: Millis;
}

/** One row (id 1), present once an admin turned user copying on (migration 0008). */
export interface AppsImportStateTable {
  id: number;
  users_enabled_at: Millis;
}

/** A connection the Apps host held, and when it was copied here (null: not copied). */
export interface AppsImportConnectionsTable {
  user_id: string;
  provider_id: string;
  known_at: Millis;
  copied_at: NullableMillis;
}

/** A user whose copy ran, and how many connections it copied. */
export interface AppsImportUsersTable {
  user_id: string;
  visited_at: Millis;
  copied: number;
}

/** A user whose connections changed on the Apps host since their copy (migration 0012); the mark is random per change. */
export interface AppsImportChangesTable {
  user_id: string;
  mark: string;
}

export interface TokenClientsTable {
  id: string;
  name: string;
  /** JSON arrays of text. */
  providers: string;
  scopes: string;
  sources: string;
  rate_per_minute: number;
  /** base64url SHA-256 of the credential; the credential itself is never stored. */
  credential_hash: string;
  created_by: string;
  created_at: Millis;
  credential_at: Millis;
  last_used_at: NullableMillis;
}

export interface TokenGrantsTable {
  user_id: string;
  client_id: string;
  provider_id: string;
  /** JSON array of the scopes the user allowed. */
  scopes: string;
  granted_at: Millis;
  last_used_at: NullableMillis;
}

/** One audit entry (src/core/audit.ts); pruned after APP_AUDIT_RETENTION_DAYS. */
export interface AuditLogTable {
  /** Random, to keep entries of the same millisecond apart. */
  id: string;
  at: Millis;
  actor_user_id: string;
  action: string;
  target: string;
  outcome: string;
  detail: string;
}

/** A client's token API requests in one minute window, taken by the replicas in chunks (rate_window_store.ts); pruned after the window. */
export interface ClientRateWindowsTable {
  client_id: string;
  /** The window's first millisecond (a multiple of a minute). */
  window_start: Millis;
  used: number;
  /** The size of the last claim, read back by its claimer. */
  granted: number;
}

export interface Database {
  token_clients: TokenClientsTable;
  token_grants: TokenGrantsTable;
  providers: ProvidersTable;
  provider_list_version: ProviderListVersionTable;
  connections: ConnectionsTable;
  leases: LeasesTable;
  installation: InstallationTable;
  team_commands: TeamCommandsTable;
  sessions: SessionsTable;
  one_time: OneTimeTable;
  apps_import_state: AppsImportStateTable;
  apps_import_connections: AppsImportConnectionsTable;
  apps_import_users: AppsImportUsersTable;
  apps_import_changes: AppsImportChangesTable;
  audit_log: AuditLogTable;
  client_rate_windows: ClientRateWindowsTable;
}

/** Reads an epoch-ms column from either driver. */
export function millis(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

export function optionalMillis(value: number | string | null): number | undefined {
  return value === null ? undefined : millis(value);
}
