/**
 * The OAuth engine as each host uses it, counted: flows started (an
 * authorization URL) and completed, connects, refreshes and revocations by
 * provider and outcome, and every provider error by kind. It wraps the
 * engine's public interface, so the engine itself knows nothing of metrics.
 */
import { isOAuthError, type OAuthEngine, type ProviderConfig } from '@oauth2-connect/engine';
import type { HostLabel, ServiceMetrics } from './service_metrics.js';

/** The error's kind as the engine names it (OAuthErrorCode), or "internal" for anything else. */
const kindOf = (err: unknown): string => (isOAuthError(err) ? err.code : 'internal');

export function observeEngine(engine: OAuthEngine, metrics: ServiceMetrics, host: HostLabel): OAuthEngine {
  const provider = (config: ProviderConfig) => metrics.provider(config.id);
  /** Counts a failure of `operation` as a provider error, and rethrows it. */
  const failed =
    (config: ProviderConfig, operation: string, also?: (kind: string) => void) =>
    (err: unknown): never => {
      const kind = kindOf(err);
      metrics.providerErrors.inc({ host, provider: provider(config), kind, operation });
      also?.(kind);
      throw err;
    };
  return {
    resolve: (config) => engine.resolve(config).catch(failed(config, 'discovery')),
    authorize: async (config, input) => {
      const started = await engine.authorize(config, input).catch(failed(config, 'authorization'));
      metrics.flowsStarted.inc({ host, provider: provider(config) });
      return started;
    },
    authorizationUrl: async (config, input) => {
      const url = await engine.authorizationUrl(config, input).catch(failed(config, 'authorization'));
      metrics.flowsStarted.inc({ host, provider: provider(config) });
      return url;
    },
    complete: async (config, input) => {
      const labels = { host, provider: provider(config) };
      const done = await engine.complete(config, input).catch(failed(config, 'token', (kind) => metrics.connects.inc({ ...labels, outcome: kind })));
      metrics.connects.inc({ ...labels, outcome: 'success' });
      metrics.flowsCompleted.inc(labels);
      return done;
    },
    refresh: async (config, tokens) => {
      const labels = { host, provider: provider(config) };
      const fresh = await engine.refresh(config, tokens).catch(failed(config, 'refresh', (kind) => metrics.refreshes.inc({ ...labels, outcome: kind })));
      metrics.refreshes.inc({ ...labels, outcome: 'success' });
      return fresh;
    },
    revoke: async (config, tokens) => {
      const result = await engine.revoke(config, tokens);
      const outcome = !result.supported ? 'unsupported' : result.revoked ? 'revoked' : 'failed';
      metrics.revocations.inc({ host, provider: provider(config), outcome });
      return result;
    },
    account: (config, tokens) => engine.account(config, tokens).catch(failed(config, 'userinfo')),
    register: (config, input) => engine.register(config, input).catch(failed(config, 'registration')),
    check: (config) => engine.check(config),
  };
}
