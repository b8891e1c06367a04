/**
 * What the standalone host's HTTP side is built from. Everything is injected:
 * the ports (storage), the OAuth engine, the sealer, the bot, the clock.
 * service/host.ts wires the real ones (SQL repositories, the bound sealer);
 * tests use the in-memory ones in test/support/standalone.
 */
import { createHmac } from 'node:crypto';
import type { ConnectionRepository, ProviderRepository } from '../../core/ports.js';
import type { Logger } from '../../log/logger.js';
import type { MattermostBot } from '../../mattermost/bot.js';
import type { OAuthEngine, ProviderConfig } from '../../oauth/types.js';
import type { AdminView } from './admin/admin_view.js';
import type { BoundSealer, SealBinding } from './db/bound_sealer.js';
import type { CommandAdmission, InstallationStore, OneTimeStore, SessionStore } from './ports.js';
import type { SigningKeySource } from './trigger/signing_key.js';
import type { RateLimitedLog } from '../../log/rate_limited.js';

export type { BoundSealer, SealBinding } from './db/bound_sealer.js';

export interface StandaloneSettings {
  /** APP_ROOT_URL without a trailing slash: links, the dialog URL and redirect URIs are built on it. */
  rootUrl: string;
  /** APP_MATTERMOST_URL: the only Mattermost the service calls or trusts. */
  mattermostUrl: string;
  /** Timeout of each outbound request (respondLater, the bot), in ms. */
  httpTimeoutMs: number;
  /** How far a command's signed trigger time may be from the wall clock, in ms. */
  triggerWindowMs: number;
}

export interface StandaloneDeps {
  settings: StandaloneSettings;
  logger: Logger;
  now(): number;
  /** The engine for remote providers: outbound requests guarded against private addresses unless APP_ALLOW_PRIVATE_NETWORK. */
  engine: OAuthEngine;
  /** The engine for Sign in with Mattermost: the configured Mattermost is configuration, not a target to guard (it often lives on a private network). */
  mattermostEngine: OAuthEngine;
  sealer: BoundSealer;
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
  bot: MattermostBot;
  /** Whether to show a user the admins' part (help, the panel): the bot's answer kept a minute; never what lets them act. */
  adminView: AdminView;
  /** The binding of a provider's client secret (seal_slots' clientSecretSlot under the standalone seal scope). */
  clientSecretBinding(config: ProviderConfig): SealBinding;
  /** The origins that issue and receive a provider's tokens (stored with the connection; see providerOrigin). */
  providerOrigin(config: ProviderConfig): string;
  /** Outbound HTTP for respondLater. */
  fetch: typeof fetch;
  /** Mattermost's public key, which signs every command's trigger id. */
  signingKey: SigningKeySource;
  /** The real time, for Mattermost's signatures (now() is the clock tests move to age tokens). */
  wallClock(): number;
  /** Warnings about refused requests: anyone can provoke them, so a flood writes a few lines a minute (log/rate_limited.ts). */
  refusalLog: RateLimitedLog;
}

/** Keys derived from the current encryption key, one per purpose, so the key itself serves nothing else. */
export function standaloneKeys(encryptionKey: Buffer): { dialogKey: Buffer; flowKey: Buffer } {
  const derive = (label: string) => createHmac('sha256', encryptionKey).update(label).digest();
  return { dialogKey: derive('oauth2-connect dialog state'), flowKey: derive('oauth2-connect standalone flow secrets') };
}

/** The settings from the validated configuration; the standalone host cannot run without APP_MATTERMOST_URL. */
export function standaloneSettings(config: {
  rootUrl: string;
  mattermostUrl: string | undefined;
  httpTimeoutMs: number;
  triggerWindowMs: number;
}): StandaloneSettings {
  if (!config.mattermostUrl) throw new Error('The standalone host needs APP_MATTERMOST_URL (the Mattermost Site URL).');
  return {
    rootUrl: config.rootUrl.replace(/\/+$/, ''),
    mattermostUrl: config.mattermostUrl.replace(/\/+$/, ''),
    httpTimeoutMs: config.httpTimeoutMs,
    triggerWindowMs: config.triggerWindowMs,
  };
}
