/**
 * The webapp plugin with the real App behind it: the built bundle in a host
 * page served by the fake Mattermost server, its calls going through the fake
 * Apps plugin's call endpoint (cookie session and CSRF token, as on a real
 * server) to the App, and the connect popup going to a real OpenID provider.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { passProviderPages } from '../support/browser.js';
import { startWorld, type World } from '../scenarios/world.js';
import { BUNDLE, ensureBundle, ROOT } from './webapp/build_bundle.js';
import { hostPage, VENDOR_SCRIPTS } from './webapp/host_page.js';
import type { Express } from 'express';

let world: World;
let page: Page;
const errors: string[] = [];

const hostRoutes = (app: Express) => {
  app.get('/', (_req, res) => void res.type('html').send(hostPage()));
  app.get('/vendor/:name', (req, res) => void res.type('js').send(readFileSync(join(ROOT, 'node_modules', VENDOR_SCRIPTS[req.params.name]!))));
  app.get('/static/plugins/com.github.oauth2-connect.webapp/main.js', (_req, res) => void res.type('js').send(readFileSync(BUNDLE)));
};
const row = (id: string) => page.locator(`[data-provider="${id}"]`);

describe('the webapp panel with the App behind the fake Apps plugin', () => {
  before(async () => {
    ensureBundle();
    world = await startWorld({ fake: { extraRoutes: hostRoutes } });
    const context = await world.browser.newContext({ viewport: { width: 1100, height: 700 } });
    await context.addCookies(world.backend.browserCookies(world.backend.admin));
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(world.backend.siteUrl);
    await page.getByRole('button', { name: 'Connected accounts' }).click();
  });
  after(() => world?.close());

  test('when no provider is registered, then the panel says so and offers the admin to add one', async () => {
    await page.getByText('No providers are registered yet').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Add a provider' }).isVisible());
  });

  test("when the admin fills the App's own provider form, then the provider is registered and listed", async () => {
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#oauth2c-field-preset').selectOption('oidc');
    await dialog.locator('#oauth2c-field-issuer').waitFor();
    await dialog.locator('#oauth2c-field-id').fill('idp');
    await dialog.locator('#oauth2c-field-display_name').fill('Test IdP');
    await dialog.locator('#oauth2c-field-issuer').fill(world.provider.issuer);
    await dialog.locator('#oauth2c-field-client_id').fill(world.provider.clients.basic.client_id);
    await dialog.locator('#oauth2c-field-client_secret').fill(world.provider.clients.basic.client_secret!);
    await dialog.locator('#oauth2c-field-auth').selectOption('client_secret_basic');
    await dialog.locator('#oauth2c-field-scopes').fill('openid profile email offline_access');
    await dialog.getByRole('button', { name: /Save|Submit/ }).click();
    await row('idp').waitFor();
    assert.match(await row('idp').innerText(), /Test IdP[\s\S]*Not connected/);
  });

  test('when Connect is clicked, then the popup goes through the provider and the panel shows the account', async () => {
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect Test IdP' }).click();
    const window = await popup;
    await window.waitForURL((url) => url.href.startsWith(world.provider.issuer));
    await passProviderPages(window, 'admin-at-idp', world.provider.issuer);
    if (!window.isClosed()) await window.waitForEvent('close', { timeout: 10_000 });
    await page.waitForFunction(() => /Connected as admin-at-idp/.test(document.querySelector('[data-provider="idp"]')?.textContent ?? ''));
    mkdirArtifacts();
    await page.screenshot({ path: join(ROOT, 'test-artifacts/webapp-panel-with-app.png') });
  });

  test('when Disconnect is clicked, then the token is revoked at the provider and the row turns to Not connected', async () => {
    const revocations = world.provider.counters.revocation;
    await page.getByRole('button', { name: 'Disconnect Test IdP' }).click();
    await page.waitForFunction(() => /Not connected/.test(document.querySelector('[data-provider="idp"]')?.textContent ?? ''));
    assert.ok(world.provider.counters.revocation > revocations);
    assert.deepEqual(errors, []);
  });
});

function mkdirArtifacts(): void {
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
}
