/** Steps shared by scenarios: an admin registers the test provider, a user connects in the browser. */
import assert from 'node:assert/strict';
import type { CallResponse } from '../../src/hosts/apps/protocol/types.js';
import { connectInBrowser, type FlowResult } from '../support/browser.js';
import type { ScenarioUser } from './backend.js';
import { findCommand, runCommand, textOf } from './commands.js';
import type { World } from './world.js';
import { PROVIDER_ID, testProviderValues } from './host_steps.js';

export { PROVIDER_ID };

export async function registerTestProvider(world: World, id = PROVIDER_ID, client = world.provider.clients.basic): Promise<CallResponse> {
  return runCommand(world.backend, world.backend.admin, ['provider', 'add'], testProviderValues(world.provider, id, client));
}

export async function startConnect(world: World, user: ScenarioUser, provider = PROVIDER_ID): Promise<string> {
  let answer = await runCommand(world.backend, user, ['connect'], { provider });
  if (/^\(webapp parser\) Unknown option for field `provider`/.test(textOf(answer))) {
    // The bindings offer connect only for providers the user is not (or brokenly)
    // connected to, so the webapp cannot type a reconnect; a client can still send
    // the call itself, and tests of reconnecting do so.
    const connect = findCommand(await world.backend.bindings(user), ['connect'])!;
    answer = await world.backend.call(user, { ...connect.form!.submit!, values: { provider: { label: provider, value: provider } } } as never);
  }
  assert.equal(answer.type, 'ok', textOf(answer));
  const data = (answer as { data?: { connect_url?: string } }).data;
  assert.ok(data?.connect_url, 'the connect answer carries connect_url');
  assert.ok(textOf(answer).includes(data.connect_url), 'the text links to connect_url');
  return data.connect_url;
}

/** The whole connect journey in the browser, as `login` at the provider. */
export async function connectUser(world: World, user: ScenarioUser, login: string, provider = PROVIDER_ID): Promise<FlowResult> {
  const connectUrl = await startConnect(world, user, provider);
  return connectInBrowser(world.browser, world.backend.browserCookies(user), connectUrl, login, world.provider.issuer);
}

export interface RawFlow {
  /** The provider's redirect back to complete_url, as the browser would follow it. */
  completeUrl: string;
  /** Follows completeUrl with the user's Mattermost cookies: the plugin's answer. */
  complete(url?: string): Promise<{ status: number; text: string }>;
}

const cookieHeader = (world: World, user: ScenarioUser) =>
  world.backend
    .browserCookies(user)
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');

/**
 * The connect flow without a browser, stopping before complete_url so a test
 * can tamper with the redirect or move the clock. The provider's pages are
 * driven by oidc_provider.ts's authorize().
 */
export async function connectUntilRedirect(world: World, user: ScenarioUser, login: string, provider = PROVIDER_ID, deny = false): Promise<RawFlow> {
  const connectUrl = await startConnect(world, user, provider);
  const res = await fetch(connectUrl, { headers: { cookie: cookieHeader(world, user) }, redirect: 'manual' });
  const authorizeUrl = res.headers.get('location');
  assert.ok(authorizeUrl, `connect_url redirects to the provider (HTTP ${res.status}: ${await res.text()})`);
  const params = await world.provider.authorize(authorizeUrl, { login, deny });
  const completeUrl = `${world.completeUrl}?${new URLSearchParams(params)}`;
  return {
    completeUrl,
    complete: async (url = completeUrl) => {
      const answer = await fetch(url, { headers: { cookie: cookieHeader(world, user) }, redirect: 'manual' });
      return { status: answer.status, text: await answer.text() };
    },
  };
}
