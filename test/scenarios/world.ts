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
import type { FakePluginOptions } from '../support/fake_plugin/server.js';
import { providerRedirects } from '../support/redirects.js';
import { findCommand } from './commands.js';

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

async function startBackend(fakeOptions: FakePluginOptions): Promise<Backend> {
  if (process.env.SCENARIO_BACKEND === 'real') {
    const { RealBackend } = await import('./backends/real.js');
    return RealBackend.start();
  }
  return FakeBackend.start(fakeOptions);
}

const leftoverProviders = async (backend: Backend) =>
  findCommand(await backend.bindings(backend.admin), ['provider', 'remove'])?.form?.fields?.[0]?.options ?? [];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the admin's bindings show `count` providers, twice in a row 500 ms apart. */
async function waitForProviderCount(backend: Backend, count: number): Promise<void> {
  let stable = 0;
  for (let i = 0; i < 40 && stable < 2; i++) {
    stable = (await leftoverProviders(backend)).length === count ? stable + 1 : 0;
    await pause(stable > 0 ? 500 : 250);
  }
  if (stable < 2) throw new Error(`expected ${count} providers, found ${JSON.stringify(await leftoverProviders(backend))}`);
}

/**
 * Removes providers an earlier file left on a shared (real) server, through the
 * admin's own command, one at a time, checking each removal in the bindings.
 */
async function removeLeftoverProviders(backend: Backend): Promise<void> {
  for (let left = await leftoverProviders(backend); left.length > 0; left = await leftoverProviders(backend)) {
    const remove = findCommand(await backend.bindings(backend.admin), ['provider', 'remove'])!;
    const answer = await backend.call(backend.admin, { ...remove.form!.submit!, values: { provider: left[0], confirm: true } } as never);
    if (answer.type !== 'ok') throw new Error(`could not remove the leftover provider ${left[0]!.value}: ${JSON.stringify(answer)}`);
    await waitForProviderCount(backend, left.length - 1);
  }
}

export interface WorldOptions {
  accessTokenTtlSeconds?: number;
  /** For the fake backend only (the webapp test serves its host page from it). */
  fake?: FakePluginOptions;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw failures[0];
  };
  try {
    const backend = await startBackend(options.fake ?? {});
    cleanups.push(() => backend.close());
    const clock = { offsetMs: 0 };
    const app = await startApp({ APP_MATTERMOST_URL: backend.siteUrl }, { now: () => Date.now() + clock.offsetMs });
    cleanups.push(() => app.close());
    await backend.installApp(`${app.url}/manifest.json`, app.config.jwtSecret!);
    await removeLeftoverProviders(backend);
    const completeUrl = `${backend.siteUrl}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;
    const provider = await startOidcProvider({
      redirectUris: providerRedirects(completeUrl),
      ...(options.accessTokenTtlSeconds && { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
    });
    cleanups.push(() => provider.close());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    return { backend, provider, app, browser, clock, completeUrl, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
