/**
 * Everything a scenario runs against: a Mattermost backend (the fake by
 * default, the real server when SCENARIO_BACKEND=real), a real OpenID provider
 * (oidc-provider on 127.0.0.1), the App in-process, and a real browser.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { startApp, type RunningApp } from '../support/app_server.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import type { Backend } from './backend.js';
import { FakeBackend } from './backends/fake.js';

export interface World {
  backend: Backend;
  provider: StartedOidcProvider;
  app: RunningApp;
  browser: Browser;
  /** The App's clock offset in ms: move it forward to make tokens look expired. */
  clock: { offsetMs: number };
  completeUrl: string;
  close(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  if (process.env.SCENARIO_BACKEND === 'real') {
    const { RealBackend } = await import('./backends/real.js');
    return RealBackend.start();
  }
  return FakeBackend.start();
}

export async function startWorld(options: { accessTokenTtlSeconds?: number } = {}): Promise<World> {
  const backend = await startBackend();
  const clock = { offsetMs: 0 };
  const app = await startApp(backend.name === 'real' ? { APP_MATTERMOST_URL: backend.siteUrl } : {}, { now: () => Date.now() + clock.offsetMs });
  await backend.installApp(`${app.url}/manifest.json`, app.config.jwtSecret!);
  const completeUrl = `${backend.siteUrl}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;
  const provider = await startOidcProvider({ redirectUris: [completeUrl], ...(options.accessTokenTtlSeconds && { accessTokenTtlSeconds: options.accessTokenTtlSeconds }) });
  const browser = await launchBrowser();
  return {
    backend,
    provider,
    app,
    browser,
    clock,
    completeUrl,
    close: async () => {
      await browser.close();
      await app.close();
      await provider.close();
      await backend.close();
    },
  };
}
