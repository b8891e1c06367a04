// Debian's Chromium driven by playwright-core. Servers built from the Go
// modules have no web client, so a browser is "logged in" by setting the
// cookies that POST /api/v4/users/login returned.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { Session } from './mm_api.js';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach
// Google's hosts, which this closed network refuses.
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
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Adds a login's MMAUTHTOKEN, MMUSERID and MMCSRF cookies for the server at `siteUrl`. */
export async function addLoginCookies(context: BrowserContext, siteUrl: string, session: Session): Promise<void> {
  const names = ['MMAUTHTOKEN', 'MMUSERID', 'MMCSRF'];
  const missing = names.filter((n) => !session.cookies[n]);
  if (missing.length) throw new Error(`login returned no ${missing.join(', ')} cookie`);
  await context.addCookies(names.map((name) => ({ name, value: session.cookies[name]!, url: siteUrl })));
}
