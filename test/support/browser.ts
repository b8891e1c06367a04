/**
 * Debian's chromium driven by playwright-core: the real browser that follows
 * connect_url to the provider's login and consent pages and back.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this closed network refuses.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface FlowResult {
  /** The last page's URL and text (the plugin's "Completed" page, or its error text). */
  url: string;
  text: string;
}

/** Clicks and waits for the next page; a popup that closes itself at the end (window.close) is fine too. */
async function submit(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
  try {
    await Promise.all([page.waitForNavigation(), button.click()]);
  } catch (err) {
    if (!page.isClosed()) throw err;
  }
}

/** Signs in at oidc-provider's development login page, then grants consent when asked. */
export async function passProviderPages(page: Page, login: string, providerOrigin: string): Promise<void> {
  for (let step = 0; step < 4 && !page.isClosed(); step++) {
    await page.waitForLoadState('domcontentloaded');
    if (!page.url().startsWith(providerOrigin)) return;
    const loginField = page.locator('input[name="login"]');
    if (await loginField.count()) {
      await loginField.fill(login);
      await page.locator('input[name="password"]').fill('any-password');
      await submit(page, page.locator('button[type="submit"]').first());
      continue;
    }
    const consent = page.locator('button[autofocus][type="submit"]');
    if (await consent.count()) {
      await submit(page, consent.first());
      continue;
    }
    return;
  }
}

/** Opens connect_url with the user's Mattermost cookies and goes through the provider's pages. */
export async function connectInBrowser(
  browser: Browser,
  cookies: Array<{ name: string; value: string; url: string }>,
  connectUrl: string,
  login: string,
  providerOrigin: string,
): Promise<FlowResult> {
  const context = await browser.newContext();
  try {
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(connectUrl);
    await passProviderPages(page, login, providerOrigin);
    await page.waitForLoadState('domcontentloaded');
    return { url: page.url(), text: (await page.textContent('body').catch(() => '')) ?? '' };
  } finally {
    await context.close();
  }
}
