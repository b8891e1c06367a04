/**
 * The token API's records: integrations registered as clients by a system
 * admin, and each user's grants (which client may receive their token at
 * which provider). Only the standalone host stores them: the Apps host's
 * tokens live in the Apps plugin's per-user store, readable only inside that
 * user's own calls, so it cannot serve a token to anyone else.
 */

export interface TokenClient {
  /** A short id derived from the name, unique; what commands and logs name. */
  id: string;
  name: string;
  /** The provider ids it may ask tokens for. */
  providers: string[];
  /** The scopes it may receive (each within some allowed provider's scopes). */
  scopes: string[];
  /** Where it may call from (CIDRs); empty: anywhere. */
  sources: string[];
  /** Token requests per minute (a bucket of this size, refilled over a minute). */
  rate_per_minute: number;
  created_by: string;
  created_at: number;
  /** When the credential was last issued (created or rotated). */
  credential_at: number;
  last_used_at?: number;
}

export interface TokenGrant {
  user_id: string;
  client_id: string;
  provider_id: string;
  /** The scopes the user saw and allowed. */
  scopes: string[];
  granted_at: number;
  last_used_at?: number;
}

/** The token API's storage; the credential crosses it only as its hash. */
export interface TokenClientStore {
  list(): Promise<TokenClient[]>;
  get(id: string): Promise<TokenClient | undefined>;
  /** The client whose credential hashes to this (compared in constant time by the caller). */
  byCredentialHash(hash: string): Promise<{ client: TokenClient; hash: string } | undefined>;
  /** False when a client with this id exists. */
  create(client: TokenClient, credentialHash: string): Promise<boolean>;
  /** Replaces the credential; false when the client is gone. */
  rotate(id: string, credentialHash: string, at: number): Promise<boolean>;
  /** Removes the client and every grant to it; false when there was nothing to remove. */
  remove(id: string): Promise<boolean>;
  /**
   * Stores the grant (or replaces its scopes and time), only while its client exists and the user is connected
   * to its provider, both checked in the same write; false, and nothing stored, when either is missing.
   * `clientCreatedAt`: only while the client is the one registered then (not one registered since under its id).
   */
  grant(grant: TokenGrant, clientCreatedAt?: number): Promise<boolean>;
  getGrant(userId: string, clientId: string, providerId: string): Promise<TokenGrant | undefined>;
  grantsOf(userId: string): Promise<TokenGrant[]>;
  allGrants(): Promise<TokenGrant[]>;
  /** False when there was no such grant. */
  revokeGrant(userId: string, clientId: string, providerId: string): Promise<boolean>;
  /** Records a use of the client and the grant (the caller spaces these writes out). */
  touch(clientId: string, userId: string, providerId: string, at: number): Promise<void>;
}

/** What the Apps host answers to the token API's commands. */
export const TOKEN_API_ELSEWHERE =
  "The token API lives on the standalone host: the Apps host's tokens are kept in the Apps plugin's per-user store, which only that user's own calls can read, so they cannot be served to another integration.";
