/**
 * The security suite's world: the fake Apps plugin, a fault-injecting proxy
 * the App reaches it through, a real OpenID provider, and the App with JWT on,
 * its outbound HTTP limited to 127.0.0.1. No browser: flows are driven with
 * fetch (test/scenarios/steps.ts connectUntilRedirect). The App can be
 * restarted with the same or other settings.
 */
import { startApp, type RunningApp } from '../../support/app_server.js';
import { startOidcProvider, type OidcProviderOptions, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { FakeBackend } from '../../scenarios/backends/fake.js';
import type { World } from '../../scenarios/world.js';
import type { ScenarioUser } from '../../scenarios/backend.js';
import type { TokenSet } from '../../../packages/engine/src/types.js';
import { SecretAudit } from './audit.js';
import { startKvProxy, type KvProxy } from './kv_proxy.js';
import { openTokens } from '../../support/sealed_slots.js';
import { providerRedirects } from '../../support/redirects.js';
import { randomBytes } from 'node:crypto';

export const APP_ID = 'oauth2-connect';

/** Keeps every token a token endpoint hands the App: secrets no log line may contain. */
export function tokenCollector(audit: SecretAudit) {
  return async (url: URL, response: Response) => {
    if (!url.pathname.endsWith('/token') || !response.ok) return;
    const body = (await response
      .clone()
      .json()
      .catch(() => ({}))) as Record<string, unknown>;
    for (const name of ['access_token', 'refresh_token', 'id_token']) if (typeof body[name] === 'string') audit.add(body[name]);
  };
}

/** fetch that only reaches the loopback interface, and counts what it sent. */
export function loopbackFetch(
  counts = { sent: 0, blocked: 0 },
  observe?: (url: URL, response: Response) => Promise<void>,
): typeof fetch & { counts: typeof counts } {
  const guarded = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      counts.blocked += 1;
      throw new TypeError(`test blocked a request to ${url.origin}`);
    }
    counts.sent += 1;
    const response = await fetch(input, init);
    await observe?.(url, response);
    return response;
  }) as typeof fetch & { counts: typeof counts };
  guarded.counts = counts;
  return guarded;
}

export interface SecurityWorld {
  backend: FakeBackend;
  provider: StartedOidcProvider;
  proxy: KvProxy;
  app: RunningApp;
  clock: { offsetMs: number };
  completeUrl: string;
  audit: SecretAudit;
  /** The same world as test/scenarios/steps.ts wants it (the browser is never used). */
  scenario: World;
  /** Stops the App and starts another on the same plugin, with the same secrets unless env overrides them. */
  restartApp(env?: Record<string, string>): Promise<RunningApp>;
  /** The user's stored token for a provider, opened with the current App's key; undefined when none. */
  storedTokens(user: ScenarioUser, providerId: string): TokenSet | undefined;
  /** The raw stored KV value of the user's token (sealed). */
  storedRaw(user: ScenarioUser, providerId: string): string | undefined;
  close(): Promise<void>;
  /** Collects the stored tokens, fails if any secret of the run is in a log line, and closes. */
  finish(label: string): Promise<void>;
}

export interface WorldOptions {
  provider?: OidcProviderOptions;
  env?: Record<string, string>;
}

export async function startSecurityWorld(options: WorldOptions = {}): Promise<SecurityWorld> {
  const backend = await FakeBackend.start();
  const fake = backend.fake;
  const proxy = await startKvProxy(() => fake.siteUrl);
  // The App reaches Mattermost through the proxy, and only the configured Mattermost gets calls.
  fake.state.announcedSiteUrl = proxy.url;
  const clock = { offsetMs: 0 };
  const audit = new SecretAudit();
  const baseEnv = {
    APP_MATTERMOST_URL: proxy.url,
    // Generous unless a test injects slowness: other work may load the machine.
    APP_HTTP_TIMEOUT_MS: '5000',
    APP_REVOCATION_TIMEOUT_MS: '1000',
    APP_JWT_SECRET: randomBytes(32).toString('base64url'),
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...options.env,
  };
  const launch = async (env: Record<string, string>) =>
    audit.watch(await startApp(env, { now: () => Date.now() + clock.offsetMs, fetch: loopbackFetch(undefined, tokenCollector(audit)) }));
  let app = await launch(baseEnv);
  await backend.installApp(`${app.url}/manifest.json`, app.config.jwtSecret!);
  const completeUrl = `${backend.siteUrl}/plugins/com.mattermost.apps/apps/${APP_ID}/oauth2/remote/complete`;
  const provider = await startOidcProvider({ redirectUris: providerRedirects(completeUrl), ...options.provider });
  audit.add(...Object.values(provider.clients).map((c) => c.client_secret));

  const rawOf = (user: ScenarioUser, providerId: string) => fake.state.kv.get(fake.state.kvKey(user.id, 't', providerId));
  const world: SecurityWorld = {
    backend,
    provider,
    proxy,
    get app() {
      return app;
    },
    clock,
    completeUrl,
    audit,
    get scenario() {
      return { backend, provider, app, clock, completeUrl, browser: undefined as never, close: async () => undefined } satisfies World;
    },
    restartApp: async (env = {}) => {
      audit.collectTokens(fake.state, app);
      await app.close();
      app = await launch({ ...baseEnv, ...env });
      fake.state.app!.rootUrl = app.url;
      return app;
    },
    storedRaw: rawOf,
    storedTokens: (user, providerId) => {
      const raw = rawOf(user, providerId);
      if (!raw) return undefined;
      return openTokens(app.deps.sealer, fake.state.oauth2App?.data, user.id, providerId, (JSON.parse(raw) as { s: string }).s);
    },
    close: async () => {
      audit.collectTokens(fake.state, app);
      await backend.close();
      await app.close();
      await provider.close();
      await proxy.close();
    },
    finish: async (label) => {
      try {
        audit.collectTokens(fake.state, app);
        audit.assertClean(label);
      } finally {
        await world.close();
      }
    },
  };
  return world;
}
