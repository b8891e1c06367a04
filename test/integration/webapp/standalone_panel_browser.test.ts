// The BUILT plugin bundle in Chromium, in a host page standing in for Mattermost
// v12 (no Apps plugin), against the real standalone service (in process) and a
// real OpenID provider: empty state, connect in the popup (the panel updates by
// itself when the flow completes), disconnect, the service down, an expired
// Mattermost session. Runs once per React: 18 (the dev dependency) and 19 (the
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

  const shot = (name: string) => ui.shot(ARTIFACTS, `webapp-standalone-react${under.major}-${name}`);

  before(async () => {
    ensureBundle();
    mkdirSync(ARTIFACTS, { recursive: true });
    world = await startStandaloneWorld({ tables: createServiceTables() });
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
