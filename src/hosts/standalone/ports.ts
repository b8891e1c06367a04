/**
 * What the standalone host stores besides providers and connections
 * (src/core/ports.ts): what setup created in Mattermost, the service's own
 * browser sessions, and one-time records (links, sign-in states, flows).
 * Secrets cross these ports in plaintext; the store seals or hashes them.
 */
import type { UserConnections } from '../../core/ports.js';
import type { TokenClient, TokenGrant } from '../../core/token_api/types.js';

/**
 * What the bot may do in Mattermost, chosen at setup (`--bot-role`).
 * 'regular': a plain bot (direct messages, user lookups, dialogs); setup, run
 * with an admin's token, puts `/oauth2` into teams and checks it. 'admin': the
 * bot holds system_admin and the service's own team sync does that.
 */
export type BotRole = 'regular' | 'admin';

export const BOT_ROLES: readonly BotRole[] = ['regular', 'admin'];

/** Whether a stored or typed role is one of BOT_ROLES. */
export const isBotRole = (value: string): value is BotRole => (BOT_ROLES as readonly string[]).includes(value);

/** What `oauth2-connect setup` created in Mattermost for this service. */
export interface Installation {
  /** The Mattermost Site URL it was set up against (must equal the configured one). */
  mattermost_url: string;
  bot_user_id: string;
  bot_username: string;
  /** The bot's access token (sealed at rest). */
  bot_token: string;
  /** The trusted OAuth2 app used for Sign in with Mattermost. */
  oauth_client_id: string;
  /** Its client secret (sealed at rest). */
  oauth_client_secret: string;
  /** Absent in a record made before the choice existed, when the bot was always an admin. */
  bot_role?: BotRole;
  /**
   * A random id setup gives the installation, recorded on the bot's user record in Mattermost too: setup
   * run against another storage sees that this storage is not the installation's. Absent in a record made
   * before the id existed.
   */
  installation_id?: string;
  /**
   * Whether setup found the Apps plugin active on the server; absent when it could not tell or the
   * record is older than the question. Without APP_HOSTS the service serves the Apps host only where
   * it can be used (served_hosts.ts).
   */
  apps_plugin?: boolean;
  updated_at: number;
}

/** The `/oauth2` command of one team. Only a hash of its token is kept. */
export interface TeamCommand {
  team_id: string;
  command_id: string;
  /** base64url SHA-256 of the command token; compared in constant time. '' when the command could not be repaired: nothing matches. */
  token_hash: string;
  /** Who made the command: the bot (admin bot) or the admin who ran setup (regular bot). Absent: not recorded. */
  creator_id?: string;
  /** SHA-256 of the fields as the service last wrote them (see commandFieldsHash); absent: not recorded. */
  fields_hash?: string;
  updated_at: number;
}

export interface InstallationStore {
  getInstallation(): Promise<Installation | undefined>;
  saveInstallation(installation: Installation): Promise<void>;
  deleteInstallation(): Promise<void>;
  listCommands(): Promise<TeamCommand[]>;
  commandForTeam(teamId: string): Promise<TeamCommand | undefined>;
  saveCommand(command: TeamCommand): Promise<void>;
  deleteCommand(teamId: string): Promise<void>;
}

/** The service's own browser session, made after Sign in with Mattermost. */
export interface BrowserSession {
  /** base64url SHA-256 of the cookie value; the value itself is never stored. */
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface SessionStore {
  create(session: BrowserSession): Promise<void>;
  /** Undefined when unknown or expired. */
  get(idHash: string, now: number): Promise<BrowserSession | undefined>;
  delete(idHash: string): Promise<void>;
  /** Removes expired sessions; returns how many. */
  prune(now: number): Promise<number>;
}

/**
 * 'trigger': a command's signed trigger id, kept only to refuse it a second time; 'dialog': a dialog's nonce, held once its
 * submission runs (dialogs/single_use.ts); 'consent': a consent request's nonce once its button was clicked, and the
 * marks that space out the prompts a client may send a user (token_api/prompts.ts).
 */
export type OneTimePurpose = 'link' | 'signin' | 'flow' | 'trigger' | 'dialog' | 'consent';

/** A single-use record keyed by the hash of a random value the browser carries. */
export interface OneTimeRecord {
  key_hash: string;
  purpose: OneTimePurpose;
  user_id: string;
  provider_id: string;
  /** Small JSON the flow needs later (never a secret in plaintext). */
  data?: string;
  expires_at: number;
}

export interface OneTimeStore {
  put(record: OneTimeRecord): Promise<void>;
  /** Atomically removes and returns the record when it exists, has this purpose and has not expired. */
  take(keyHash: string, purpose: OneTimePurpose, now: number): Promise<OneTimeRecord | undefined>;
  /** Stores the record unless one with its key exists; true when this call stored it (of concurrent claims, exactly one). */
  claim(record: OneTimeRecord): Promise<boolean>;
  /** Whether an unexpired record with this key and purpose exists. */
  holds(keyHash: string, purpose: OneTimePurpose, now: number): Promise<boolean>;
  prune(now: number): Promise<number>;
}

/**
 * A command's token check and its trigger's single-use record together: on PostgreSQL one round trip, the
 * command path's only write. The record is stored only when the team's command has `tokenHash` (a wrong
 * token, or a command left with no hash, stores nothing) and none with its key exists yet (of concurrent
 * claims, exactly one).
 */
export interface CommandAdmission {
  /**
   * The hash stored for the team's command (undefined when none), and whether this call stored `trigger`.
   * `withView`: the command starts from its user's view (status, whoami…): where the storage can read it in the same
   * round trip, `view` is that user's (the trigger's) providers and connections, read only when the trigger was claimed.
   */
  admit(
    teamId: string,
    tokenHash: string,
    trigger: OneTimeRecord,
    withView?: boolean,
  ): Promise<{ storedHash: string | undefined; claimed: boolean; view?: UserConnections }>;
}

/** What the token endpoint reads for one request (the client by its credential's hash, the user's grant to it, the user's row). */
export interface IssuanceRead {
  /** The client whose credential hashes to this, with its stored hash (compared again in constant time by the caller). */
  found?: { client: TokenClient; hash: string };
  /** The user's grant to that client at the provider. */
  grant?: TokenGrant;
  /** The provider list, and the user's connection at that provider alone; absent without a client. */
  view?: UserConnections;
}

/** The token endpoint's reads in one statement (db/token_issuance.ts): one round trip per token request. */
export interface TokenIssuanceReader {
  read(credentialHash: string, userId: string, providerId: string): Promise<IssuanceRead>;
}

/** One claim on a client's shared count for a minute window (db/rate_window_store.ts). */
export interface WindowClaim {
  clientId: string;
  /** The window's first millisecond. */
  windowStart: number;
  /** At most this many requests are taken. */
  chunk: number;
  /** The client's rate per minute: the window's count never passes it. */
  rate: number;
}

/** The replicas' shared per-client counts per minute window, taken in chunks. */
export interface RateWindowClaims {
  /** How many requests this claim took (at most the chunk); 0 when the window has reached the rate. */
  claim(claim: WindowClaim): Promise<number>;
}
