// The BUILT plugin bundle in Chromium, in a host page standing in for Mattermost
// v12 (no Apps plugin), against the real standalone service (in process) and a
// real OpenID provider: empty state, connect in the popup (the panel updates by
// itself when the flow completes), the integrations she allowed and Revoke
// (another user's session neither sees nor revokes them), disconnect, the
// service down, an expired Mattermost session. The token API's clients and
// grants are on a real SQLite database. Runs once per React: 18 (the dev dependency) and 19 (the
// local package test/react19); a missing React fails the run, it is not skipped.
// The page's console must stay free of errors and of React's warnings.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, passProviderPages } from '../../support/browser.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { addTestOidcProvider, startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import { connectInDatabase, createScratch, type Scratch } from '../../support/standalone_db.js';
import type { Database } from '../../../src/hosts/standalone/db/schema.js';
import type { Kysely } from 'kysely';
import { ensureBundle, ROOT } from './build_bundle.js';
import { buildReactVendor, REACT_18, REACT_19, type ReactUnderTest } from './react_vendor.js';
import { openPanelPage, type PanelPage } from './panel_page.js';
import { CSRF, startStandIn, type StandIn } from './standalone_stand_in.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');

for (const under of [REACT_18, REACT_19]) {
  describe(`webapp panel on the standalone host, React ${under.major}`, () => suite(under));
}

function suite(under: ReactUnderTest) {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let standIn: StandIn;
  let browser: Browser;
  let context: BrowserContext;
  let ui: PanelPage;
  let alice: FakeUser;
  let scratch: Scratch;
  let grants: SqlTokenClientStore;
  let grantsDb: Kysely<Database>;

  const shot = (name: string) => ui.shot(ARTIFACTS, `webapp-standalone-react${under.major}-${name}`);

  before(async () => {
    ensureBundle();
    mkdirSync(ARTIFACTS, { recursive: true });
    scratch = await createScratch('sqlite');
    grantsDb = (await scratch.open()).db;
    grants = new SqlTokenClientStore(grantsDb);
    world = await startStandaloneWorld({ tables: createServiceTables(), tokenClients: grants });
    world.deps.engine = createOAuthEngine({ fetch, now: Date.now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true });
    op = await startOidcProvider({ redirectUris: [`${world.rootUrl}/standalone/complete/test-oidc`] });
    alice = world.mm.addUser('alice');
    standIn = await startStandIn(world, await buildReactVendor(under));
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1100, height: 640 } });
    // Cookies are per host, not per port: the session reaches the stand-in and the service's Sign in with Mattermost alike.
    await context.addCookies([
      { name: 'MMAUTHTOKEN', value: alice.id, url: standIn.url },
      { name: 'MMCSRF', value: CSRF, url: standIn.url },
    ]);
    ui = await openPanelPage(context, standIn.url, under.major);
  });

  after(async () => {
    await browser?.close();
    await standIn?.close();
    await op?.close();
    await world?.close();
    await scratch?.dispose();
  });

  test('when no provider is registered, then the panel (found through /oauth2 __panel) shows the empty state', async () => {
    await ui.openPanel();
    await ui.page.getByText('No providers are registered yet.').waitFor();
    assert.deepEqual(standIn.commands, ['/oauth2 __panel']);
    await shot('empty');
  });

  test('when alice connects in the popup, then she signs in at the provider, the window closes itself and the row shows her account', async () => {
    await addTestOidcProvider(world, op);
    await ui.openPanel();
    const popupOpened = ui.page.waitForEvent('popup');
    await ui.row('test-oidc').getByRole('button', { name: 'Connect Test OIDC' }).click();
    const popup = await popupOpened;
    // The window opens blank; the link arrives when __connect answers, then Sign in with Mattermost leads to the provider.
    await popup.waitForURL((url) => url.href.startsWith(op.issuer), { timeout: 15_000 });
    await passProviderPages(popup, 'alice-op', op.issuer);
    await popup.getByText('You can close this window').waitFor({ timeout: 15_000 });
    // Nobody closes the window here: the success page closes itself and the panel re-reads the list.
    await popup.waitForEvent('close', { timeout: 10_000 });
    await ui.rowSays('test-oidc', /Connected as alice-op/);
    assert.ok(standIn.commands.includes('/oauth2 __connect test-oidc'));
    assert.equal((await world.stores.connections.get(alice.id, 'test-oidc'))?.connection.sub, 'alice-op');
    await shot('connected');
  });

  test('when alice allowed an integration, then the panel lists it under the provider with its scopes and last use', async () => {
    const at = Date.now();
    const bot = { name: 'Issue bot', providers: ['test-oidc'], scopes: ['openid', 'profile'], sources: [], rate_per_minute: 60, created_by: alice.id };
    await grants.create({ ...bot, id: 'issue-bot', created_at: at, credential_at: at }, credentialHash(newCredential()));
    // Her connection as the grant store sees it (the world keeps its connections in memory).
    await connectInDatabase(grantsDb, alice.id, 'test-oidc', at);
    await grants.grant({ user_id: alice.id, client_id: 'issue-bot', provider_id: 'test-oidc', scopes: ['openid', 'profile'], granted_at: at });
    await ui.openPanel();
    const list = ui.row('test-oidc').getByRole('list', { name: 'Integrations allowed to use your Test OIDC account' });
    await list.getByText('Scopes: openid, profile · never used').waitFor();
    assert.equal(await list.getByRole('listitem').count(), 1);
    await shot('grants');
  });

  test("when mallory runs the panel's requests in her own session, even naming alice's grant, then she sees none of alice's grants and revokes nothing", async () => {
    const mallory = world.mm.addUser('mallory');
    const theirs = await browser.newContext();
    await theirs.addCookies([
      { name: 'MMAUTHTOKEN', value: mallory.id, url: standIn.url },
      { name: 'MMCSRF', value: CSRF, url: standIn.url },
    ]);
    try {
      const page = await theirs.newPage();
      await page.goto(standIn.url);
      // The request the panel makes, written by hand: Mattermost takes the user from the session, whatever the body says.
      const run = (command: string) =>
        page.evaluate(
          async ([text, csrf, user]) => {
            const res = await fetch('/api/v4/commands/execute', {
              method: 'POST',
              credentials: 'include',
              headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', 'x-csrf-token': csrf },
              body: JSON.stringify({ command: text, channel_id: 'c', team_id: 't', user_id: user }),
            });
            return JSON.stringify((await res.json()) as unknown);
          },
          [command, CSRF, alice.id] as const,
        );
      const listed = await run('/oauth2 __panel');
      assert.match(listed, /"grants":\[\]/);
      assert.doesNotMatch(listed, /Issue bot|issue-bot/);
      assert.match(await run('/oauth2 __revoke issue-bot test-oidc'), /You have no grant to `issue-bot`/);
      assert.equal((await grants.grantsOf(alice.id)).length, 1, "alice's grant stays");
    } finally {
      await theirs.close();
    }
  });

  test('when alice clicks Revoke, then the grant ends (the same revoke as /oauth2 grants revoke) and the list no longer shows it', async () => {
    await ui.row('test-oidc').getByRole('button', { name: "Revoke Issue bot's access to Test OIDC" }).click();
    await ui.page.getByText('Revoked: Issue bot can no longer use your Test OIDC account.').waitFor();
    await ui.row('test-oidc').getByText('Integrations you allowed').waitFor({ state: 'detached' });
    assert.ok(standIn.commands.includes('/oauth2 __revoke issue-bot test-oidc'));
    assert.deepEqual(await grants.grantsOf(alice.id), []);
  });

  test('when alice disconnects, then the token is revoked at the provider and the row says Not connected', async () => {
    op.resetCounters();
    const sent = (await world.stores.connections.get(alice.id, 'test-oidc'))?.tokens.refresh_token ? 2 : 1;
    await ui.row('test-oidc').getByRole('button', { name: 'Disconnect Test OIDC' }).click();
    await ui.page.getByText(/Disconnected your Test OIDC account\. The token was revoked at Test OIDC\./).waitFor();
    await ui.rowSays('test-oidc', /Not connected/);
    // One revocation request per token held (RFC 7009).
    assert.equal(op.counters.revocation, sent);
    assert.equal(await world.stores.connections.get(alice.id, 'test-oidc'), undefined);
  });

  test('when the service is down, then the panel says so and Try again recovers once it is back', async () => {
    standIn.serviceDown = true;
    await ui.openPanel();
    await ui.page.getByRole('alert').filter({ hasText: 'The OAuth2 Connect service did not answer' }).waitFor();
    await shot('service-down');
    standIn.serviceDown = false;
    await ui.page.getByRole('button', { name: 'Try again' }).click();
    await ui.row('test-oidc').waitFor();
  });

  test('when the Mattermost session has expired, then the panel asks to sign in again', async () => {
    await context.clearCookies({ name: 'MMAUTHTOKEN' });
    await ui.openPanel();
    await ui.page.getByRole('alert').filter({ hasText: 'Your Mattermost session has expired' }).waitFor();
    await shot('session-expired');
  });

  test('when the tests are done, then the page logged no error and React no warning', () => {
    assert.deepEqual(ui.unexpectedConsole(), []);
  });
}
