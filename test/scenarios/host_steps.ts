/** Steps host-neutral scenarios share: an admin registers the test provider through the form, a user connects in Chromium. */
import assert from 'node:assert/strict';
import type { StartedOidcProvider, TestClient } from '../support/oidc_provider.js';
import type { Answer, BrowserOutcome, Person, ScenarioHost } from './host.js';

export const PROVIDER_ID = 'idp';

/** What an admin enters to register the test provider `id` with one of its clients. */
export function testProviderValues(provider: StartedOidcProvider, id = PROVIDER_ID, client: TestClient = provider.clients.basic): Record<string, string> {
  return {
    preset: 'oidc',
    id,
    display_name: id === PROVIDER_ID ? 'Test IdP' : `IdP ${id}`,
    issuer: provider.issuer,
    client_id: client.client_id,
    client_secret: client.client_secret ?? '',
    auth: client.token_endpoint_auth_method,
    scopes: 'openid profile email offline_access',
    params: 'prompt=consent',
  };
}

/** `/oauth2 provider add`, the form filled and saved, as the admin. */
export function addProvider(host: ScenarioHost, id = PROVIDER_ID, client?: TestClient): Promise<Answer> {
  return host.command(host.admin, ['provider', 'add'], testProviderValues(host.provider, id, client));
}

/** addProvider, which must succeed. */
export async function registerTestProvider(host: ScenarioHost, id = PROVIDER_ID, client?: TestClient): Promise<void> {
  const answer = await addProvider(host, id, client);
  assert.equal(answer.kind, 'text', answer.text);
}

/** The whole connect journey: `/oauth2 connect <provider>`, the link in Chromium, the provider's pages as `login`. */
export async function connectUser(host: ScenarioHost, user: Person, login: string, provider = PROVIDER_ID): Promise<BrowserOutcome> {
  return host.openInBrowser(user, await host.connectLink(user, provider), login);
}

/** `/oauth2 <words>` answered with text (an opened form fails the step). */
export async function say(host: ScenarioHost, user: Person, words: string[], values: Record<string, string | boolean> = {}): Promise<string> {
  const answer = await host.command(user, words, values);
  assert.notEqual(answer.kind, 'form', `/oauth2 ${words.join(' ')} opened a form`);
  return answer.text;
}
