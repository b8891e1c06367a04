// Debian's Chromium driven by playwright-core. Servers built from the Go
// modules have no web client, so a browser is "logged in" by setting the
// cookies that POST /api/v4/users/login returned.
import type { BrowserContext } from 'playwright-core';
import type { Session } from './mm_api.js';

// One Chromium launcher for every test (flags and the missing-binary message in one place).
export { launchBrowser } from '../../support/browser.js';

/** Adds a login's MMAUTHTOKEN, MMUSERID and MMCSRF cookies for the server at `siteUrl`. */
export async function addLoginCookies(context: BrowserContext, siteUrl: string, session: Session): Promise<void> {
  const names = ['MMAUTHTOKEN', 'MMUSERID', 'MMCSRF'];
  const missing = names.filter((n) => !session.cookies[n]);
  if (missing.length) throw new Error(`login returned no ${missing.join(', ')} cookie`);
  await context.addCookies(names.map((name) => ({ name, value: session.cookies[name]!, url: siteUrl })));
}
