/**
 * What a core operation gets: who is asking (as Mattermost says, checked by
 * the host), their input, the host's storage, and what only the host knows
 * (its links, its bot). Operations answer a CoreAnswer or throw a
 * UserFacingError (./errors.ts); each host renders both in its own protocol.
 */
import type { Logger } from '../log/logger.js';
import type { OAuthEngine } from '@oauth2-connect/engine';
import type { FormSpec } from './form_spec.js';
import type { AppsMove } from './apps_move/ports.js';
import type { ConnectionRepository, ProviderRepository } from './ports.js';
import type { SecretSealer } from './secret_sealer.js';
import type { TokenClientStore } from './token_api/types.js';
import type { AuditTrail } from './audit.js';

export interface CoreUser {
  id: string;
  /** As Mattermost says (the host asked it or verified it), never as a request claims. */
  isAdmin: boolean;
}

/** Command arguments or form values, normalised by the host to strings and booleans. */
export type CoreValues = Record<string, string | boolean | undefined>;

/** Where a host words help differently: the Apps host revokes "the App's" access, the standalone one "the service's". */
export interface HelpWording {
  /** Who holds the access a disconnect revokes, e.g. "the App's"; replaces `{holder}` in a help line. */
  holder: string;
}

/** What only the host knows how to do. */
export interface HostLinks {
  /** How its help names itself. */
  helpWording: HelpWording;
  /** Markdown telling the user how to (re)connect to this provider: a link or a command. */
  connectHint(providerId: string): Promise<string>;
  /** The exact redirect URI to register at this provider; undefined when the host cannot know it. */
  redirectUri(providerId: string): string | undefined;
  /** A direct message from the bot; best effort, never throws. */
  notify(userId: string, message: string): Promise<void>;
  /** Usernames by user id, for the admin report (unknown ids are left out). */
  usernames(ids: string[]): Promise<Map<string, string>>;
  /** The user id of a username (the audit command's --user); undefined when there is none. Absent where the host does not look users up. */
  userIdOf?(username: string): Promise<string | undefined>;
}

export interface CoreRequest {
  user: CoreUser;
  values: CoreValues;
  providers: ProviderRepository;
  connections: ConnectionRepository;
  host: HostLinks;
  /** The move from the Apps host to the standalone host, where the host keeps its ledger (apps_move/ports.ts). */
  appsMove?: AppsMove;
  /** The token API's clients and grants; absent on a host that cannot serve tokens to integrations (the Apps host). */
  tokenApi?: TokenClientStore;
}

/** The configuration the core's operations read: only that, so a host gives the core nothing else of its own. */
export interface CoreSettings {
  /** A stored token this close to its expiry is refreshed before it is used (APP_REFRESH_MARGIN_SECONDS). */
  refreshMarginMs: number;
}

/** The core's settings out of a host's configuration. */
export const coreSettings = (config: CoreSettings): CoreSettings => ({ refreshMarginMs: config.refreshMarginMs });

/** What every core operation is given: each host's own dependencies, built once at start, are one. */
export interface CoreDeps {
  settings: CoreSettings;
  logger: Logger;
  engine: OAuthEngine;
  sealer: SecretSealer;
  now(): number;
  /** Where admin actions are recorded (admin/audited.ts); absent where nothing is (tests of one operation). */
  audit?: AuditTrail;
}

export interface CoreAnswer {
  /** Markdown for the user. */
  text?: string;
  /** Structured data for a client (the webapp panel). */
  data?: unknown;
  /** A form to show (the host renders it as an Apps form or an interactive dialog). */
  form?: FormSpec;
  /** Something the user's commands or panel show has changed. */
  refresh?: boolean;
  /** For the audit trail, not shown: what the operation did beyond its name (field names, counts), never a value. */
  auditDetail?: string;
}

export type CoreOperation = (req: CoreRequest, deps: CoreDeps) => Promise<CoreAnswer>;
