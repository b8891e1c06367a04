// The built plugin bundle in a real browser (Debian's Chromium): registered by a
// host page, talking to a fake of the Apps plugin's call endpoint.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../support/browser.js';
import { ensureBundle, ROOT } from './build_bundle.js';
import { CSRF_TOKEN, startFakeMattermost, type FakeMattermost } from './fake_mattermost.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');

// No skip without Chromium: launchBrowser fails with how to install it, so a missing browser never passes as skipped.
describe('webapp panel in Chromium', () => {
  let fake: FakeMattermost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const rowText = (id: string) => page.locator(`[data-provider="${id}"]`).innerText();
  const waitForRow = (id: string, text: RegExp) =>
    page.waitForFunction(
      ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''),
      [`[data-provider="${id}"]`, text.source] as const,
      { timeout: 10_000 },
    );
  const callsTo = (path: string) => fake.calls.filter((c) => c.path === path);

  before(async () => {
    ensureBundle();
    fake = await startFakeMattermost();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1100, height: 640 } });
    await context.addCookies([{ name: 'MMCSRF', value: CSRF_TOKEN, url: fake.url }]);
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(fake.url);
  });

  after(async () => {
    await browser?.close();
    await fake?.close();
  });

  test('when the bundle loads, then it registers its reducer, sidebar, App Bar button, settings and refresh handler', async () => {
    const names = await page.evaluate(() => (window as unknown as { __registrations: Array<{ name: string; args: unknown[] }> }).__registrations);
    const byName = Object.fromEntries(names.map((r) => [r.name, r.args]));
    assert.deepEqual(byName.registerPlugin, ['com.github.oauth2-connect.webapp']);
    assert.ok(byName.registerReducer);
    assert.deepEqual(byName.registerRightHandSidebarComponent?.[1], 'Connected accounts');
    assert.deepEqual(byName.registerAppBarComponent, ['data:image/svg+xml', 'function', 'Connected accounts']);
    assert.deepEqual(byName.registerUserSettings, [{ id: 'com.github.oauth2-connect.webapp', uiName: 'OAuth2 Connect', sections: ['Connected accounts'] }]);
    assert.deepEqual(byName.registerWebSocketEventHandler, ['custom_com.mattermost.apps_refresh_bindings', 'function']);
    assert.equal(byName.registerChannelHeaderButtonAction, undefined, 'the App Bar is used where the host has one');
  });

  test('when the Apps plugin is disabled (and no /oauth2 command answers), then the panel says OAuth2 Connect is not set up; once enabled, Try again loads it', async () => {
    fake.appsPluginEnabled = false;
    await page.getByRole('button', { name: 'Connected accounts' }).click();
    await page.getByRole('alert').filter({ hasText: 'OAuth2 Connect is not set up on this server' }).waitFor();
    fake.appsPluginEnabled = true;
    await page.getByRole('button', { name: 'Try again' }).click();
    await waitForRow('google', /Needs reconnecting: Google revoked the refresh token/);
    assert.match(await rowText('github'), /Not connected/);
    assert.match(await rowText('gitlab'), /Connected as jane\.doe · since .+ · token expires in 2 hours/);
    const load = callsTo('/panel').at(-1)!;
    assert.deepEqual(load.expand, { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' });
    assert.deepEqual(load.context, {
      app_id: 'oauth2-connect',
      location: '/channel_header',
      channel_id: 'channel1',
      team_id: 'team1',
      user_agent: 'webapp',
    });
    assert.equal(load.csrf, CSRF_TOKEN);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'webapp-panel.png') });
  });

  test('when Connect GitHub is clicked, then a popup runs the connect flow and the panel shows the account', async () => {
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect GitHub' }).click();
    await (await popup).waitForEvent('close', { timeout: 10_000 });
    await waitForRow('github', /Connected as octocat · since .+ · token expires in 8 hours/);
    const connect = callsTo('/connect').at(-1)!;
    assert.deepEqual(connect.values, { provider: { label: 'GitHub', value: 'github' } });
    assert.deepEqual(connect.expand, { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' });
  });

  test('when Disconnect GitLab is clicked, then the App is told and the row turns to Not connected', async () => {
    await page.getByRole('button', { name: 'Disconnect GitLab' }).click();
    await page.getByText('Disconnected from GitLab.').waitFor();
    await waitForRow('gitlab', /Not connected/);
    assert.deepEqual(callsTo('/disconnect').at(-1)!.values, { provider: { label: 'GitLab', value: 'gitlab' } });
    assert.ok(await page.getByRole('button', { name: 'Connect GitLab' }).isVisible());
  });

  test('when Reconnect Google is clicked, then the broken connection is repaired', async () => {
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Reconnect Google' }).click();
    await (await popup).waitForEvent('close', { timeout: 10_000 });
    await waitForRow('google', /Connected as jane@example\.com/);
    assert.doesNotMatch(await rowText('google'), /Needs reconnecting/);
    assert.deepEqual(callsTo('/connect').at(-1)!.values, { provider: { label: 'Google', value: 'google' } });
  });

  test('when the Apps plugin sends refresh_bindings, then the panel reloads', async () => {
    fake.app.providers[1]!.connected = true;
    fake.app.providers[1]!.account_label = 'jd-elsewhere';
    await page.evaluate(() => (window as unknown as { __emitWebSocket(e: string): void }).__emitWebSocket('custom_com.mattermost.apps_refresh_bindings'));
    await waitForRow('gitlab', /Connected as jd-elsewhere/);
  });

  test('when an admin adds a provider through the modal, then it is submitted and listed', async () => {
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an OAuth2 provider' });
    await dialog.getByLabel('Preset').selectOption('oidc');
    await dialog.getByLabel('Display name').fill('Keycloak');
    await dialog.getByLabel('Client ID').fill('mm-client');
    await dialog.getByLabel('Client secret').fill('very-secret');
    await page.screenshot({ path: join(ARTIFACTS, 'webapp-add-provider.png') });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Added Keycloak.').waitFor();
    await waitForRow('keycloak', /Not connected/);
    const add = callsTo('/provider/add').at(-1)!;
    assert.deepEqual(add.values, {
      preset: { label: 'Generic OIDC', value: 'oidc' },
      display_name: 'Keycloak',
      client_id: 'mm-client',
      client_secret: 'very-secret',
    });
    await page.screenshot({ path: join(ARTIFACTS, 'webapp-panel-after.png') });
    assert.equal(errors.length, 0, `page errors: ${errors.join('; ')}`);
  });

  test('when a keyboard user tabs through the list, then each button is reached with a visible focus ring', async () => {
    await page.getByRole('button', { name: 'Disconnect GitHub' }).focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { label: el.getAttribute('aria-label'), outline: style.outlineStyle, width: style.outlineWidth };
    });
    assert.deepEqual(focused, { label: 'Disconnect GitLab', outline: 'solid', width: '2px' });
    await page.screenshot({ path: join(ARTIFACTS, 'webapp-panel-focus.png') });
  });
});
