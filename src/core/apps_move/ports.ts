/**
 * The move from the Apps host (Mattermost v10/v11 with the Apps plugin) to the
 * standalone host (v12+): while both hosts run in one process, the Apps host
 * copies its providers and, one user's call at a time, each user's connection
 * into the standalone host's storage, so that after the upgrade (the Apps
 * plugin and its stores gone) those users are connected there already.
 *
 * The ledger is kept in the standalone host's storage, so it outlives the Apps
 * plugin: which users the Apps host had connected (from its report index),
 * which of them were copied, and whether copying users is on.
 */
import type { ConnectionRepository, ProviderRepository } from '../ports.js';
import type { SecretSealer } from '../secret_sealer.js';

/** One user's connection at one provider on the Apps host, as the ledger knows it. */
export interface MoveEntry {
  user_id: string;
  provider_id: string;
}

export interface MoveProgress {
  /** Users the Apps host listed as connected (or broken) when an admin last ran a copy or asked for progress. */
  knownUsers: number;
  /** Users whose copy ran (on their first call after user copying was turned on). */
  visitedUsers: number;
  /** Of those, the users with at least one connection copied. */
  copiedUsers: number;
  copiedConnections: number;
  /** When an admin turned user copying on; undefined while it is off. */
  usersEnabledAt?: number;
}

export interface MoveLedger {
  /** Whether each user's connections are copied on their next call (an admin turned it on). */
  usersEnabled(): Promise<boolean>;
  /** What usersEnabled() answers without a round trip; undefined when it would ask the storage. */
  usersEnabledKnown(): boolean | undefined;
  /** Turns user copying on; false when it was on already. */
  enableUsers(at: number): Promise<boolean>;
  /** Records connections the Apps host holds (its report index); entries known already are left as they are. */
  know(entries: MoveEntry[], at: number): Promise<void>;
  /** Records a user's copy: the providers whose connection was copied (none, when nothing could be). */
  copied(userId: string, providerIds: string[], at: number): Promise<void>;
  /** The providers at which this user's connection was copied, and when. */
  copiedOf(userId: string): Promise<Array<{ provider_id: string; copied_at: number }>>;
  /** Forgets a connection the user ended on the Apps host (they are not told to reconnect to it). */
  forget(userId: string, providerId: string): Promise<void>;
  /** Whether this user's connections were copied already (a copy ran for them, whatever it could copy). */
  visited(userId: string): Promise<boolean>;
  /**
   * Marks that this user's connections changed on the Apps host since their copy, so the next copy check, in
   * any process and after a restart, finds it due. Nothing is marked for a user no copy ran for while user
   * copying is off: their first copy is due anyway.
   */
  markChanged(userId: string): Promise<void>;
  /** Whether this user's copy is due (never copied, or changed since); `mark` is the change mark read, for settled(). */
  copyDue(userId: string): Promise<{ mark?: string } | undefined>;
  /** After a copy: clears the change mark it read before it began; a mark written since (a change during the copy) stays. */
  settled(userId: string, mark: string): Promise<void>;
  /** The providers at which the Apps host had this user connected and nothing was copied. */
  notCopied(userId: string): Promise<string[]>;
  progress(): Promise<MoveProgress>;
}

/** The standalone host's storage, as the Apps host writes into it. */
export interface MoveTarget {
  /** Why the standalone storage cannot receive copies now (not set up); undefined when it can. */
  notReady(): Promise<string | undefined>;
  providers: ProviderRepository;
  connections: ConnectionRepository;
  /** The standalone host's sealer: what is copied is sealed for its new place. */
  sealer: SecretSealer;
  ledger: MoveLedger;
}

/**
 * What a host gives the core for the move. The Apps host: the target (the copy
 * commands run there); the standalone host: the ledger alone (progress, and the
 * line telling a user who was not copied to reconnect).
 */
export interface AppsMove {
  ledger: MoveLedger;
  target?: MoveTarget;
}
