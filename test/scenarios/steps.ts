/** Steps shared by scenarios: an admin registers the test provider, a user connects in the browser. */
import assert from 'node:assert/strict';
import type { CallResponse } from '../../src/apps/types.js';
import { connectInBrowser, type FlowResult } from '../support/browser.js';
import type { ScenarioUser } from './backend.js';
import { runCommand, textOf } from './commands.js';
import type { World } from './world.js';

export const PROVIDER_ID = 'idp';

export async function registerTestProvider(world: World, id = PROVIDER_ID, client = world.provider.clients.basic): Promise<CallResponse> {
  return runCommand(world.backend, world.backend.admin, ['provider', 'add'], {
    preset: 'oidc',
    id,
    display_name: 'Test IdP',
    issuer: world.provider.issuer,
    client_id: client.client_id,
    client_secret: client.client_secret ?? '',
    auth: client.token_endpoint_auth_method,
    scopes: 'openid profile email offline_access',
    params: 'prompt=consent',
  });
}

export async function startConnect(world: World, user: ScenarioUser, provider = PROVIDER_ID): Promise<string> {
  const answer = await runCommand(world.backend, user, ['connect'], { provider });
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
