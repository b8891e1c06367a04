// The host page with the plugin, opened in Chromium for the panel's browser
// tests (in-process stand-in and real server alike): console errors and
// warnings are collected (React's warnings among them), the page's React is
// checked to be the one under test, and the panel is opened from the App Bar.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export interface PanelPage {
  page: Page;
  /** Opens the sidebar afresh (a fresh mount loads the list). */
  openPanel(): Promise<void>;
  row(providerId: string): Locator;
  /** Waits until the provider's row reads `pattern`. */
  rowSays(providerId: string, pattern: RegExp): Promise<void>;
  /** Saves a screenshot as `<dir>/<name>.png` and prints its path. */
  shot(dir: string, name: string): Promise<void>;
  /** Console errors and warnings and page errors, except the failed requests the tests cause on purpose (401, 404, 500). */
  unexpectedConsole(): string[];
}

export async function openPanelPage(context: BrowserContext, url: string, reactMajor: number): Promise<PanelPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
  });
  await page.goto(url);
  // The page really runs the React under test (the host's React is what the plugin gets).
  assert.equal(await page.evaluate(() => Number((window as unknown as { React: { version: string } }).React.version.split('.')[0])), reactMajor);
  const row = (id: string) => page.locator(`[data-provider="${id}"]`);
  return {
    page,
    row,
    async openPanel() {
      // The App Bar button toggles the sidebar: close it if open, then open it.
      const button = page.getByRole('button', { name: 'Connected accounts' });
      if (await page.locator('#rhs').count()) await button.click();
      await button.click();
    },
    async rowSays(id, pattern) {
      await page.waitForFunction(
        ([selector, source]) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
        [`[data-provider="${id}"]`, pattern.source] as const,
        { timeout: 15_000 },
      );
    },
    async shot(dir, name) {
      const path = join(dir, `${name}.png`);
      await page.screenshot({ path });
      console.log(`screenshot: ${path}`);
    },
    // Chromium logs refused requests as resource errors: the absent Apps plugin's 404, a service down's 500, an ended session's 401.
    unexpectedConsole: () => problems.filter((line) => !/Failed to load resource: the server responded with a status of (401|404|500)/.test(line)),
  };
}
