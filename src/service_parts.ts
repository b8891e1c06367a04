/**
 * What both hosts are built from, made once per process: the logger (it
 * redacts the configured secrets), the clock and outbound HTTP, the current
 * encryption key, the cipher over every configured key, and the OAuth engines.
 * Tests inject fetch, the clock and the logger.
 */
import type { Config } from './config/index.js';
import type { SecretSealer } from './core/secret_sealer.js';
import { createLogger, type Logger } from './log/logger.js';
import { createTokenCipher, createOAuthEngine, type OAuthEngine } from '@oauth2-connect/engine';
import { ServiceMetrics } from './metrics/service_metrics.js';

export interface ServiceOverrides {
  fetch?: typeof fetch;
  now?: () => number;
  logger?: Logger;
  /** Without it each service makes its own registry (tests start several services in one process). */
  metrics?: ServiceMetrics;
}

export interface ServiceParts {
  config: Readonly<Config>;
  logger: Logger;
  fetch: typeof fetch;
  now: () => number;
  /** Each host derives the keys of its own purposes from it (the engine's purposeKey), never using it for anything else. */
  currentKey: Buffer;
  /** The bound cipher over the configured keys; each host puts its own seal scope on it. */
  cipher: SecretSealer;
  /** For remote providers: outbound requests to private addresses only with APP_ALLOW_PRIVATE_NETWORK. */
  engine: OAuthEngine;
  /** For Sign in with Mattermost: the configured Mattermost is configuration, not a target to guard (it often lives on a private network). */
  mattermostEngine: OAuthEngine;
  /** This service's metrics registry; each host counts into it with its own host label. */
  metrics: ServiceMetrics;
}

export function serviceParts(config: Readonly<Config>, overrides: ServiceOverrides = {}): ServiceParts {
  const secrets = [config.jwtSecret ?? '', config.metricsToken ?? '', ...config.encryptionKeys.map((k) => k.key.toString('base64'))];
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, secrets });
  const doFetch = overrides.fetch ?? fetch;
  const now = overrides.now ?? Date.now;
  const current = config.encryptionKeys.find((k) => k.id === config.currentKeyId);
  if (!current) throw new Error('the current encryption key is missing');
  const engineOptions = {
    // Without an injected fetch the engine uses its own transport to providers (cheaper per request than fetch).
    ...(overrides.fetch && { fetch: overrides.fetch }),
    now,
    httpTimeoutMs: config.httpTimeoutMs,
    revocationTimeoutMs: config.revocationTimeoutMs,
    discoveryTtlMs: config.discoveryTtlMs,
    // An admin allows private providers with the environment, not with the engine's option name.
    privateNetworkHint: 'set APP_ALLOW_PRIVATE_NETWORK=true',
  };
  return {
    config,
    logger,
    fetch: doFetch,
    now,
    currentKey: current.key,
    cipher: createTokenCipher({ keys: config.encryptionKeys, currentKeyId: config.currentKeyId, acceptUnbound: config.acceptUnboundSealed }),
    engine: createOAuthEngine({ ...engineOptions, allowPrivateNetwork: config.allowPrivateNetwork }),
    mattermostEngine: createOAuthEngine({ ...engineOptions, allowPrivateNetwork: true }),
    metrics: overrides.metrics ?? new ServiceMetrics(),
  };
}
