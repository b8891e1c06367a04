/**
 * What the core needs from a host's storage. The Apps host keeps these in the
 * Apps plugin's stores (oauth2/app data, oauth2/user, the user's KV); the
 * standalone host in SQL. Tokens and client secrets cross these ports in
 * plaintext: each repository seals them, bound to their row (user, provider,
 * kind and, for tokens, the origin that issued them).
 */
import type { TokenSet } from '@oauth2-connect/engine';
import type { StoredProvider } from './provider_records.js';
import type { Connection } from './record_schemas.js';
import type { TokenGrant } from './token_api/types.js';

/** Providers as the admins registered them (the client secret sealed inside the record). */
export interface ProviderRepository {
  list(): Promise<StoredProvider[]>;
  get(id: string): Promise<StoredProvider | undefined>;
  /** Inserts, or replaces the provider with the same id. */
  save(provider: StoredProvider): Promise<void>;
  /** False when there was nothing to remove. */
  remove(id: string): Promise<boolean>;
}

/** One user's connection to one provider, with its tokens. */
export interface ConnectionRow {
  user_id: string;
  provider_id: string;
  connection: Connection;
  tokens: TokenSet;
  /** The issuer, or the token endpoint's origin, that issued the tokens. */
  origin: string;
  /** When the connection was last used or refreshed, where the storage records it (recordUse). */
  used_at?: number;
}

export interface ProviderUsers {
  connected: string[];
  broken: string[];
}

/** The registered providers and one user's connections, read together (see ConnectionRepository.withProviders). */
export interface UserConnections {
  providers: StoredProvider[];
  /** The user's connections by provider id, without tokens. */
  connections: Record<string, Connection>;
  /** The user's row at a provider as get() answers it, from the same read (no round trip); throws as get() does. */
  opened(providerId: string): Promise<ConnectionRow | undefined>;
  /** The user's token API grants as TokenClientStore.grantsOf lists them, where the storage read them with the view (status lists them). */
  grants?: TokenGrant[];
}

/** What deleting a connection removed. */
export interface DeletedConnection {
  /** False when there was no connection to delete. */
  deleted: boolean;
  /**
   * The user's token API grants at that provider that the deletion removed with the connection, read by
   * the deleting statement itself: a grant given meanwhile is either among them or was not deleted. Empty
   * where the storage keeps no grants (the Apps host).
   */
  endedGrants: TokenGrant[];
}

export interface ConnectionRepository {
  /** The user's connections by provider id, without tokens (status, bindings, the panel). */
  summaries(userId: string): Promise<Record<string, Connection>>;
  /**
   * The registered providers and the user's connections with their rows, in one read. Optional: where the
   * storage cannot read them together (or where they cost nothing), the core reads list(), summaries() and get().
   */
  withProviders?(userId: string): Promise<UserConnections>;
  /** Throws a clear error when the stored tokens do not open for this row. */
  get(userId: string, providerId: string): Promise<ConnectionRow | undefined>;
  /** Inserts or replaces the row (a new connection or a reconnect). */
  save(row: ConnectionRow): Promise<void>;
  /** After a refresh: new tokens for an existing row; false when the row is gone. */
  saveTokens(userId: string, providerId: string, tokens: TokenSet): Promise<boolean>;
  markBroken(userId: string, providerId: string, reason: string): Promise<void>;
  /**
   * Records that the connection's token was used now (a refresh records it by itself). Optional: a host
   * whose storage keeps no such time leaves it out. Called at most hourly per connection (token_use.ts).
   */
  recordUse?(userId: string, providerId: string, at: number): Promise<void>;
  /** Deletes the row, and the user's token API grants at that provider with it. */
  delete(userId: string, providerId: string): Promise<DeletedConnection>;
  /** Connected and broken user ids per provider id, for the admin report. */
  report(): Promise<Record<string, ProviderUsers>>;
  /**
   * Every user's row at a provider, to revoke their tokens when an admin removes it. Optional: a host
   * that cannot read other users' rows leaves it out (the Apps host: the plugin's oauth2 user store
   * answers only for the acting user). Rows whose tokens do not open are counted, not returned.
   */
  ofProvider?(providerId: string): Promise<{ rows: ConnectionRow[]; unreadable: number }>;
  /**
   * Runs fn while holding the (user, provider) lock that every process of this
   * installation respects, so one refresh at a time reaches the provider.
   */
  withLock<T>(userId: string, providerId: string, fn: () => Promise<T>): Promise<T>;
}
