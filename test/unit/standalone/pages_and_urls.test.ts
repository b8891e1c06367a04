import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE_SCRIPT, escapeHtml, failurePage, renderPage, successPage } from '../../../src/hosts/standalone/http/pages.js';
import { isTrustedResponseUrl, respondLater } from '../../../src/hosts/standalone/http/respond_later.js';
import { createMemoryLogger } from '../../../src/log/logger.js';

describe('standalone pages', () => {
  it('when an account label holds markup, then the page shows it as text', () => {
    const html = renderPage(successPage('Git<b>Hub</b>', '<script>alert("x")</script>&\'"'));
    assert.doesNotMatch(html, /<b>/);
    // The one script is the constant that closes the window; the label's markup is text.
    assert.deepEqual(html.match(/<script>[^<]*<\/script>/g), [`<script>${CLOSE_SCRIPT}</script>`]);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;&#39;&quot;/);
    assert.match(html, /<html lang="en">/);
    assert.equal(html.match(/<h1>/g)?.length, 1);
    assert.match(html, /<title>Connected to Git&lt;b&gt;Hub&lt;\/b&gt;<\/title>/);
  });

  it('then a failure page says why, that nothing was stored, and has no script or style', () => {
    const html = renderPage(failurePage('The link <expired>'));
    assert.match(html, /The link &lt;expired&gt;/);
    assert.match(html, /Nothing was stored/);
    assert.doesNotMatch(html, /<script|<style|style=/);
  });

  it('then escapeHtml covers the five special characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('respondLater', () => {
  const mm = 'https://chat.example.com';
  const hook = `${mm}/hooks/commands/${'a'.repeat(26)}`;

  it('when the response_url is a command hook of the configured Mattermost, then it is trusted', () => {
    assert.equal(isTrustedResponseUrl(mm, hook), true);
    assert.equal(isTrustedResponseUrl('https://example.com/chat', `https://example.com/chat/hooks/commands/${'b'.repeat(26)}`), true);
  });

  for (const url of [
    `https://evil.example.com/hooks/commands/${'a'.repeat(26)}`,
    `http://chat.example.com/hooks/commands/${'a'.repeat(26)}`,
    `https://chat.example.com:8443/hooks/commands/${'a'.repeat(26)}`,
    `https://user:pw@chat.example.com/hooks/commands/${'a'.repeat(26)}`,
    `https://chat.example.com/api/v4/users/${'a'.repeat(26)}`,
    `https://chat.example.com/hooks/commands/../../api/v4/x`,
    'javascript:alert(1)',
    'not a url',
  ]) {
    it(`when the response_url is ${url}, then it is refused and nothing is sent`, async () => {
      assert.equal(isTrustedResponseUrl(mm, url), false);
      let calls = 0;
      const sent = await respondLater(
        {
          fetch: (async () => {
            calls++;
            return new Response('ok');
          }) as typeof fetch,
          logger: createMemoryLogger(),
          settings: { rootUrl: 'x', mattermostUrl: mm, httpTimeoutMs: 1000, triggerWindowMs: 10_000, mattermostSources: [] },
        },
        url,
        { text: 'hi' },
      );
      assert.equal(sent, false);
      assert.equal(calls, 0);
    });
  }

  it('when the URL is trusted, then the answer is posted as JSON, and a slow Mattermost is cut off', async () => {
    const seen: Array<{ url: string; body: string }> = [];
    const ok = (async (url: string, init: RequestInit) => {
      seen.push({ url, body: String(init.body) });
      return new Response('ok');
    }) as unknown as typeof fetch;
    const settings = { rootUrl: 'x', mattermostUrl: mm, httpTimeoutMs: 50, triggerWindowMs: 10_000, mattermostSources: [] };
    assert.equal(await respondLater({ fetch: ok, logger: createMemoryLogger(), settings }, hook, { response_type: 'ephemeral', text: 'done' }), true);
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), { response_type: 'ephemeral', text: 'done' });
    // A real slow server holds a socket open, which keeps the process alive; this stand-in holds a timer (AbortSignal.timeout's own timer is unref'd).
    const slow = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        const hold = setTimeout(() => undefined, 10_000);
        init.signal?.addEventListener('abort', () => {
          clearTimeout(hold);
          reject(init.signal?.reason);
        });
      })) as unknown as typeof fetch;
    const started = Date.now();
    assert.equal(await respondLater({ fetch: slow, logger: createMemoryLogger(), settings }, hook, { text: 'late' }), false);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('standaloneSettings', () => {
  it('when APP_MATTERMOST_URL is missing, then a clear error names it; otherwise trailing slashes are dropped', async () => {
    const { standaloneSettings } = await import('../../../src/hosts/standalone/deps.js');
    assert.throws(
      () => standaloneSettings({ rootUrl: 'http://svc', mattermostUrl: undefined, httpTimeoutMs: 1, triggerWindowMs: 10_000, mattermostSources: [] }),
      /APP_MATTERMOST_URL/,
    );
    assert.deepEqual(
      standaloneSettings({ rootUrl: 'http://svc/', mattermostUrl: 'https://mm/', httpTimeoutMs: 5, triggerWindowMs: 10_000, mattermostSources: [] }),
      {
        rootUrl: 'http://svc',
        mattermostUrl: 'https://mm',
        httpTimeoutMs: 5,
        triggerWindowMs: 10_000,
        mattermostSources: [],
      },
    );
  });
});
