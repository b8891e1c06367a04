/**
 * The service's own pages (signing in, success, failure): small accessible
 * HTML, every dynamic text escaped, no script, no style, a strict CSP, never
 * cached, no Referer sent onwards.
 */
import type { Response } from 'express';

export interface Page {
  title: string;
  heading: string;
  paragraphs: string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export const PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function sendPage(res: Response, status: number, page: Page): void {
  setBrowserHeaders(res);
  res.status(status).type('text/html; charset=utf-8').send(renderPage(page));
}

const CLOSE = 'You can close this window.';

export function successPage(providerName: string, accountLabel: string): Page {
  return { title: `Connected to ${providerName}`, heading: `Connected to ${providerName}`, paragraphs: [`Connected as ${accountLabel}.`, CLOSE] };
}

export function failurePage(reason: string): Page {
  return {
    title: 'Connection failed',
    heading: 'The connection did not complete',
    paragraphs: [reason, 'Nothing was stored. Start again with /oauth2 connect in Mattermost.', CLOSE],
  };
}
