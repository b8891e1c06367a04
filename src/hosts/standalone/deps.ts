/**
 * What the standalone host's HTTP side is built from. Everything is injected:
 * the ports (storage), the OAuth engine, the sealer, the bot, the clock.
 * service/host.ts wires the real ones (SQL repositories, the bound sealer);
 * tests use the in-memory ones in test/support/standalone.
 */
import type { KeyObject } from 'node:crypto';
import type { MoveLedger } from '../../core/apps_move/ports.js';
import type { ConnectionRepository, ProviderRepository } from '../../core/ports.js';
import type { CoreDeps, CoreSettings } from '../../core/request.js';
import type { SecretSealer } from '../../core/secret_sealer.js';
import type { Logger } from '../../log/logger.js';
import type { MattermostBot } from './bot.js';
import { purposeKey, type OAuthEngine } from '@oauth2-connect/engine';
import type { CommandAdmission, InstallationStore, OneTimeStore, SessionStore, TokenIssuanceReader } from './ports.js';
import type { RateLimitedLog } from '../../log/rate_limited.js';
import type { TokenClientStore } from '../../core/token_api/types.js';
import type { ServiceMetrics } from '../../metrics/service_metrics.js';
import { trimTrailingSlashes } from '../../util/trim_slashes.js';

/** Mattermost's public key, which signs every command's trigger id (trigger/signing_key.ts reads it). */
export interface SigningKeySource {
  /** The key in use; fetched on first use. Undefined while Mattermost cannot be read. */
  current(): Promise<KeyObject | undefined>;
  /** A fresh copy after a signature failed; the kept one when the last fetch was under a minute ago. */
  refetch(): Promise<KeyObject | undefined>;
}

/** Whether to show a user the admins' part (help, the panel); admin/admin_view.ts keeps Mattermost's answer a minute. */
export interface AdminView {
  /** What Mattermost said within the last minute; false (not kept) when it cannot be asked now. */
  shownAsAdmin(userId: string): Promise<boolean>;
}

export interface StandaloneSettings {
  /** APP_ROOT_URL without a trailing slash: links, the dialog URL and redirect URIs are built on it. */
  rootUrl: string;
  /** APP_MATTERMOST_URL: the only Mattermost the service calls or trusts. */
  mattermostUrl: string;
  /** Timeout of each outbound request (respondLater, the bot), in ms. */
  httpTimeoutMs: number;
  /** How far a command's signed trigger time may be from the wall clock, in ms. */
  triggerWindowMs: number;
  /** Where Mattermost's commands, dialog submissions and button clicks come from (APP_MATTERMOST_SOURCES); empty: anywhere. */
  mattermostSources: readonly string[];
}

/** A per-client rate limit's answer to one request. */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one request is allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

/** The token API's parts (token_api/token_api.ts builds them). */
export interface TokenApi {
  clients: TokenClientStore;
  /** HMAC key of the consent buttons' context (token_api/consent_context.ts). */
  consentKey: Buffer;
  /**
   * Per-client rate limits: a request is allowed, or refused with the seconds to wait; at once from the process's
   * own state, or after a claim on the replicas' shared count (PostgreSQL).
   */
  limiter: { take(clientId: string, perMinute: number, now: number): RateDecision | Promise<RateDecision> };
  /** Records that the client used the user's grant; written in the background, spaced out. */
  recordUse(clientId: string, userId: string, providerId: string): void;
  /** The token endpoint's reads in one statement, where the storage has it; else the client, then the grant and the user's view. */
  issuance?: TokenIssuanceReader;
}

/** Built once at start; the core's operations are given it as their CoreDeps. */
export interface StandaloneDeps extends CoreDeps {
  /** This host's settings, and the core's (CoreDeps). */
  settings: StandaloneSettings & CoreSettings;
  logger: Logger;
  now(): number;
  /** The engine for remote providers: outbound requests guarded against private addresses unless APP_ALLOW_PRIVATE_NETWORK. */
  engine: OAuthEngine;
  /** The engine for Sign in with Mattermost: the configured Mattermost is configuration, not a target to guard (it often lives on a private network). */
  mattermostEngine: OAuthEngine;
  /** The service's cipher under this host's seal scope (db/sealer.ts). */
  sealer: SecretSealer;
  /** The PKCE verifier and nonce of a flow, derived from its single-use state (nothing stored). */
  flowSecrets(state: string): { code_verifier: string; nonce: string };
  /** HMAC key of dialog states (see standaloneKeys). */
  dialogKey: Buffer;
  providers: ProviderRepository;
  connections: ConnectionRepository;
  installation: InstallationStore;
  sessions: SessionStore;
  oneTime: OneTimeStore;
  /** A command's token check and trigger record in one round trip (the route falls back to them one by one to say why it refuses). */
  admission: CommandAdmission;
  /** The ledger of the move from the Apps host: progress, and who was not copied (absent: the host shows neither). */
  appsImport?: MoveLedger;
  bot: MattermostBot;
  /** Whether to show a user the admins' part (help, the panel): the bot's answer kept a minute; never what lets them act. */
  adminView: AdminView;
  /** Outbound HTTP for respondLater. */
  fetch: typeof fetch;
  /** Mattermost's public key, which signs every command's trigger id. */
  signingKey: SigningKeySource;
  /** The real time, for Mattermost's signatures (now() is the clock tests move to age tokens). */
  wallClock(): number;
  /** Warnings about refused requests: anyone can provoke them, so a flood writes a few lines a minute (log/rate_limited.ts). */
  refusalLog: RateLimitedLog;
  /** The token API (clients, grants, consent): absent where it is not served. */
  tokenApi?: TokenApi;
  /** The service's metrics (requests by surface and outcome); absent in tests that build the host alone. */
  metrics?: ServiceMetrics;
}

/** This host's keys, derived from the current encryption key, one per purpose, so the key itself serves nothing else. */
export function standaloneKeys(encryptionKey: Buffer): { dialogKey: Buffer; flowKey: Buffer; consentKey: Buffer } {
  return {
    dialogKey: purposeKey(encryptionKey, 'oauth2-connect dialog state'),
    flowKey: purposeKey(encryptionKey, 'oauth2-connect standalone flow secrets'),
    consentKey: purposeKey(encryptionKey, 'oauth2-connect consent context'),
  };
}

/** The settings from the validated configuration; the standalone host cannot run without APP_MATTERMOST_URL. */
export function standaloneSettings(config: {
  rootUrl: string;
  mattermostUrl: string | undefined;
  httpTimeoutMs: number;
  triggerWindowMs: number;
  mattermostSources: readonly string[];
}): StandaloneSettings {
  if (!config.mattermostUrl) throw new Error('The standalone host needs APP_MATTERMOST_URL (the Mattermost Site URL).');
  return {
    rootUrl: trimTrailingSlashes(config.rootUrl),
    mattermostUrl: trimTrailingSlashes(config.mattermostUrl),
    httpTimeoutMs: config.httpTimeoutMs,
    triggerWindowMs: config.triggerWindowMs,
    mattermostSources: config.mattermostSources,
  };
}
