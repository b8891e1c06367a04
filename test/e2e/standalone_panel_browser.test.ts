// The "Connected accounts" panel of the BUILT webapp bundle in Chromium, on a
// real Mattermost without the Apps plugin (v12's situation), against the real
// standalone service and oidc-provider. The server build has no web client, so
// a small proxy stands in for it: it serves the host page (React 18 or 19) at /
// and forwards everything else (/api/v4, /plugins, /oauth) to the real server,
// so the user's MMAUTHTOKEN and MMCSRF cookies and X-Requested-With reach it as
// from the real webapp. Covered: the empty state, connect in the popup (the
// panel updates when the flow completes), the integrations alice allowed and
// Revoke (another user's session, through the real commands/execute, neither
// sees nor revokes them), disconnect (revocation seen at the provider), the
// service down, an expired Mattermost session, an admin's "Add a
// provider"; the console stays free of errors and of React warnings.
// Screenshots in test-artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, request as forward } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { credentialHash, newCredential } from '../../src/core/token_api/credential.js';
import { signDialogState } from '../../src/hosts/standalone/dialogs/state.js';
import { passProviderPages } from '../support/browser.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { ensureBundle, ROOT } from '../integration/webapp/build_bundle.js';
import { hostAssets } from '../integration/webapp/host_assets.js';
import type { HostPlace } from '../integration/webapp/host_page.js';
import { openPanelPage, type PanelPage } from '../integration/webapp/panel_page.js';
import { buildReactVendor, REACT_18, REACT_19, type ReactUnderTest } from '../integration/webapp/react_vendor.js';
import { ensureBuilt } from './harness/build.js';
import { addLoginCookies, launchBrowser } from './harness/browser.js';
import * as mm from './harness/mm_api.js';
import { startStandaloneService, type StandaloneService } from './harness/standalone_service.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';

const PROVIDER = 'idp';
const ARTIFACTS = join(ROOT, 'test-artifacts');

interface HostProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * The host page and its scripts at /, everything else forwarded to the real
 * server as it came but for Host (cookies, CSRF header, X-Requested-With and
 * Origin untouched: the server sees the page's own requests).
 */
async function startHostProxy(target: string, reactScript: string, place: HostPlace): Promise<HostProxy> {
  const assets = hostAssets(reactScript, place);
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (assets(req, res)) return;
    const headers = { ...req.headers, host: upstream.host };
    const out = forward({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the webapp panel on a real Mattermost with the standalone service', { timeout: 10 * 60_000 }, () => {
  let w: StandaloneWorld;
  let running: StandaloneService;
  let op: StartedOidcProvider;
  let browser: Browser;
  let place: HostPlace;

  /**
   * The admin's provider dialog saved: as Mattermost forwards a submission to
   * the service (the dialog itself opens only in a browser holding the
   * command's trigger id, which these steps do not drive).
   */
  async function submitProviderDialog(purpose: 'provider.add' | 'provider.remove', target: string, submission: Record<string, unknown>): Promise<void> {
    const deps = running.service.standalone!.deps!;
    const state = signDialogState(deps.dialogKey, { user_id: w.admin.user.id, purpose, target }, Date.now());
    const body = { type: 'dialog_submission', callback_id: purpose, state, user_id: w.admin.user.id, submission, cancelled: false };
    const res = await fetch(`${running.root}/standalone/dialog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.deepEqual(await res.json(), {}, purpose);
  }

  before(async () => {
    ensureBundle();
    mkdirSync(ARTIFACTS, { recursive: true });
    w = await startStandaloneWorld(await ensureBuilt(), ['alpha']);
    const team = w.teams[0]!;
    const channel = await w.alice.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`);
    place = { teamId: team.id, channelId: channel.id };
    running = await startStandaloneService(w, 'sqlite');
    op = await startOidcProvider({ redirectUris: [`${running.root}/standalone/complete/${PROVIDER}`] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await op?.close();
    await running?.close();
    await w?.stop();
  });

  for (const under of [REACT_18, REACT_19]) describe(`React ${under.major}`, () => suite(under));

  function suite(under: ReactUnderTest) {
    let proxy: HostProxy;
    let alice: mm.Session;
    let context: BrowserContext;
    let ui: PanelPage;

    const shot = (name: string) => ui.shot(ARTIFACTS, `e2e-standalone-panel-react${under.major}-${name}`);
    const connection = () => running.service.standalone!.repositories.connections.get(alice.user.id, PROVIDER);

    before(async () => {
      proxy = await startHostProxy(w.server.directUrl, await buildReactVendor(under), place);
      // A fresh login per run: the last test ends this session.
      alice = await mm.login(w.server.directUrl, 'alice');
      context = await browser.newContext({ viewport: { width: 1100, height: 640 } });
      // Cookies belong to the host, not the port: the proxy (the page's origin) and the server's own /oauth/authorize both get them.
      await addLoginCookies(context, proxy.url, alice);
      ui = await openPanelPage(context, proxy.url, under.major);
    });

    after(async () => {
      await context?.close();
      await proxy?.close();
      // The next React starts from an empty list again.
      if (await running?.service.standalone?.repositories.providers.get(PROVIDER)) await submitProviderDialog('provider.remove', PROVIDER, { confirm: true });
    });

    test('when no provider is registered, then the panel (the Apps plugin absent: 404) shows the empty state through /oauth2 __panel', async () => {
      await ui.openPanel();
      await ui.page.getByText('No providers are registered yet.').waitFor({ timeout: 15_000 });
      await shot('empty');
    });

    test('when alice connects in the popup, then she signs in with Mattermost and at the provider, the window closes and the row shows her account', async () => {
      const { client_id, client_secret } = op.clients.post;
      const provider = { preset: 'oidc', id: PROVIDER, display_name: 'Test IdP', issuer: op.issuer, client_id, client_secret, auth: 'client_secret_post' };
      await submitProviderDialog('provider.add', '', provider);
      assert.equal((await running.service.standalone!.repositories.providers.get(PROVIDER))?.display_name, 'Test IdP');
      await ui.openPanel();
      await ui.rowSays(PROVIDER, /Not connected/);
      const popupOpened = ui.page.waitForEvent('popup');
      await ui.row(PROVIDER).getByRole('button', { name: 'Connect Test IdP' }).click();
      const popup = await popupOpened;
      await popup.waitForURL((url) => url.href.startsWith(op.issuer), { timeout: 20_000 });
      await passProviderPages(popup, 'alice-op', op.issuer);
      await popup.getByText('Connected as alice-op.').waitFor({ timeout: 15_000 });
      // Nobody closes the window: the success page does, and the panel reads the list again.
      await popup.waitForEvent('close', { timeout: 10_000 });
      await ui.rowSays(PROVIDER, /Connected as alice-op/);
      assert.equal((await connection())?.connection.sub, 'alice-op');
      await shot('connected');
    });

    test("when alice allowed an integration, then the panel lists it under the provider, and another user's session neither sees nor revokes it", async () => {
      const grants = running.service.standalone!.repositories.tokenClients;
      const at = Date.now();
      const bot = { id: 'issue-bot', name: 'Issue bot', providers: [PROVIDER], scopes: ['openid'], sources: [], rate_per_minute: 60 };
      // The client outlives the provider's removal between the React runs; a second create is refused as taken, which is fine here.
      await grants.create({ ...bot, created_by: w.admin.user.id, created_at: at, credential_at: at }, credentialHash(newCredential()));
      await grants.grant({ user_id: alice.user.id, client_id: 'issue-bot', provider_id: PROVIDER, scopes: ['openid'], granted_at: at });
      await ui.openPanel();
      const list = ui.row(PROVIDER).getByRole('list', { name: 'Integrations allowed to use your Test IdP account' });
      await list.getByText('Scopes: openid · never used').waitFor({ timeout: 15_000 });
      await shot('grants');
      // The panel's request in the admin's own session: Mattermost names the user, whatever the body says.
      const run = (command: string) =>
        w.admin.client.json<{ props?: { oauth2_connect?: unknown } }>('POST', '/api/v4/commands/execute', {
          command,
          channel_id: place.channelId,
          team_id: place.teamId,
          user_id: alice.user.id,
        });
      const theirs = JSON.stringify((await run('/oauth2 __panel')).props?.oauth2_connect);
      assert.match(theirs, /"grants":\[\]/);
      assert.doesNotMatch(theirs, /Issue bot|issue-bot/);
      assert.match(JSON.stringify((await run(`/oauth2 __revoke issue-bot ${PROVIDER}`)).props?.oauth2_connect), /You have no grant to `issue-bot`/);
      assert.equal((await grants.grantsOf(alice.user.id)).length, 1, "alice's grant stays");
    });

    test('when alice clicks Revoke, then the grant ends and the list no longer shows it', async () => {
      await ui.row(PROVIDER).getByRole('button', { name: "Revoke Issue bot's access to Test IdP" }).click();
      await ui.page.getByText('Revoked: Issue bot can no longer use your Test IdP account.').waitFor({ timeout: 15_000 });
      await ui.row(PROVIDER).getByText('Integrations you allowed').waitFor({ state: 'detached', timeout: 15_000 });
      assert.deepEqual(await running.service.standalone!.repositories.tokenClients.grantsOf(alice.user.id), []);
    });

    test('when alice disconnects, then the token is revoked at the provider and the row says Not connected', async () => {
      op.resetCounters();
      const sent = (await connection())?.tokens.refresh_token ? 2 : 1;
      await ui.row(PROVIDER).getByRole('button', { name: 'Disconnect Test IdP' }).click();
      await ui.page.getByText(/Disconnected your Test IdP account\. The token was revoked at Test IdP\./).waitFor({ timeout: 15_000 });
      await ui.rowSays(PROVIDER, /Not connected/);
      // One revocation request per token held: the refresh token, then the access token (RFC 7009).
      assert.equal(op.counters.revocation, sent);
      assert.equal(await connection(), undefined);
      await shot('disconnected');
    });

    test('when the service is down, then Mattermost answers 500 and the panel says so; Try again recovers once it is back', async () => {
      await running.stopListening();
      try {
        await ui.openPanel();
        await ui.page.getByRole('alert').filter({ hasText: 'The OAuth2 Connect service did not answer' }).waitFor({ timeout: 20_000 });
        await shot('service-down');
      } finally {
        await running.listen();
      }
      await ui.page.getByRole('button', { name: 'Try again' }).click();
      await ui.rowSays(PROVIDER, /Not connected/);
    });

    test('when the Mattermost session has ended, then the panel asks to sign in again', async () => {
      await alice.client.json('POST', '/api/v4/users/logout');
      await ui.openPanel();
      await ui.page.getByRole('alert').filter({ hasText: 'Your Mattermost session has expired' }).waitFor({ timeout: 15_000 });
      await shot('session-expired');
    });

    test("when an admin clicks Add a provider, then /oauth2 provider add runs and Mattermost's trigger id reaches the host (which opens the service's dialog with it)", async () => {
      const admin = await mm.login(w.server.directUrl, 'admin');
      const adminContext = await browser.newContext({ viewport: { width: 1100, height: 640 } });
      try {
        await addLoginCookies(adminContext, proxy.url, admin);
        const adminUi = await openPanelPage(adminContext, proxy.url, under.major);
        await adminUi.openPanel();
        await adminUi.page.getByRole('button', { name: 'Add a provider' }).click();
        const trigger = await adminUi.page.waitForFunction(
          () =>
            (window as unknown as { __actions: Array<{ type: string; data?: unknown }> }).__actions.find((a) => a.type === 'RECEIVED_DIALOG_TRIGGER_ID')?.data,
          null,
          { timeout: 15_000 },
        );
        // Mattermost's client trigger id: the webapp opens an interactive dialog only for the trigger id it holds.
        assert.match(String(await trigger.jsonValue()), /^[a-z0-9]{26}$/);
        assert.deepEqual(adminUi.unexpectedConsole(), []);
        await adminUi.shot(ARTIFACTS, `e2e-standalone-panel-react${under.major}-admin`);
      } finally {
        await adminContext.close();
      }
    });

    test('when the runs are done, then the page logged no error and React no warning', () => {
      assert.deepEqual(ui.unexpectedConsole(), []);
    });
  }
});
