/**
 * The service's own pages (signing in, success, failure): small accessible
 * HTML, every dynamic text escaped, no style, a strict CSP, never cached, no
 * Referer sent onwards. No script either, but for the success page's one
 * constant line that closes the window, allowed by its hash alone.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';

export interface Page {
  title: string;
  heading: string;
  paragraphs: string[];
  /** Closes its own window after a moment (the success page). */
  closesItself?: boolean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export const PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * How the webapp panel learns that a connect it started has completed: this
 * page closes the sign-in window, and the panel, which watches that window's
 * `closed` flag, reads the list again (webapp/popup.ts). Not a postMessage to
 * window.opener: the panel cuts the opener before loading the flow, so that no
 * provider page can steer the Mattermost tab (reverse tabnabbing), and this
 * service's origin is not Mattermost's, so BroadcastChannel and storage events
 * do not reach the panel either. Not the bot's direct message over the
 * websocket: every connect would post a message, and the plugin would have to
 * sift every `posted` event. The moment's wait lets the user read the result;
 * a browser that refuses to close a window it did not open by script (a link
 * opened from `/oauth2 connect` in a tab) leaves the page as it is.
 */
export const CLOSE_SCRIPT = 'setTimeout(function () { window.close(); }, 1500);';
const CLOSE_SCRIPT_CSP = `${PAGE_CSP}; script-src 'sha256-${createHash('sha256').update(CLOSE_SCRIPT).digest('base64')}'`;

/** Headers of every answer of the browser routes (pages and redirects). */
export function setBrowserHeaders(res: Response): void {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
}

export function renderPage(page: Page): string {
  const body = page.paragraphs.map((p) => `    <p>${escapeHtml(p)}</p>`).join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    '  <meta name="viewport" content="width=device-width, initial-scale=1">',
    '  <meta name="referrer" content="no-referrer">',
    `  <title>${escapeHtml(page.title)}</title>`,
    '</head>',
    '<body>',
    '  <main>',
    `    <h1>${escapeHtml(page.heading)}</h1>`,
    body,
    '  </main>',
    ...(page.closesItself ? [`  <script>${CLOSE_SCRIPT}</script>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function sendPage(res: Response, status: number, page: Page): void {
  setBrowserHeaders(res);
  if (page.closesItself) res.set('Content-Security-Policy', CLOSE_SCRIPT_CSP);
  res.status(status).type('text/html; charset=utf-8').send(renderPage(page));
}

const CLOSE = 'You can close this window.';

export function successPage(providerName: string, accountLabel: string): Page {
  return {
    title: `Connected to ${providerName}`,
    heading: `Connected to ${providerName}`,
    paragraphs: [`Connected as ${accountLabel}.`, CLOSE],
    closesItself: true,
  };
}

export function failurePage(reason: string): Page {
  return {
    title: 'Connection failed',
    heading: 'The connection did not complete',
    paragraphs: [reason, 'Nothing was stored. Start again with /oauth2 connect in Mattermost.', CLOSE],
  };
}
