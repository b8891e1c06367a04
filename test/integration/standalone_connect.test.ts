/**
 * The standalone connect flow end to end in Chromium: /oauth2 connect (token
 * checked) -> the link -> Sign in with Mattermost (a fake of its OAuth
 * endpoints, the user chosen by the browser's MMAUTHTOKEN cookie) -> a REAL
 * oidc-provider's login and consent -> the success page; and the refusals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, passProviderPages } from '../support/browser.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import type { FakeUser } from '../support/standalone/fake_mattermost.js';
import { addTestOidcProvider, startStandaloneWorld, type StandaloneWorld } from '../support/standalone/world.js';
import { hashValue, randomValue } from '../../src/hosts/standalone/secrets.js';

interface Visit {
  status: number;
  text: string;
  urls: string[];
  headers: Record<string, string>;
}

describe('standalone connect flow in Chromium', () => {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let browser: Browser;
  let alice: FakeUser;
  let bob: FakeUser;

  before(async () => {
    world = await startStandaloneWorld();
    op = await startOidcProvider({ redirectUris: [`${world.rootUrl}/standalone/complete/test-oidc`] });
    await addTestOidcProvider(world, op);
    browser = await launchBrowser();
    alice = world.mm.addUser('alice');
    bob = world.mm.addUser('bob');
  });
  after(async () => {
    await browser?.close();
    await op?.close();
    await world?.close();
  });

  async function linkFor(user: FakeUser): Promise<string> {
    const body = (await (await world.command(user, 'connect test-oidc')).json()) as { text: string };
    const link = /\((http:[^)]+)\)/.exec(body.text)?.[1];
    assert.ok(link, body.text);
    return link;
  }

  async function signedInContext(user: FakeUser): Promise<BrowserContext> {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'MMAUTHTOKEN', value: user.id, url: world.mm.url }]);
    return context;
  }

  /** Opens url, goes through the provider's pages as `login`, returns the last page of the service. */
  async function visit(context: BrowserContext, url: string, login = 'alice-op'): Promise<Visit> {
    const page = await context.newPage();
    const urls: string[] = [];
    let last = { status: 0, headers: {} as Record<string, string> };
    page.on('request', (r) => {
      if (r.isNavigationRequest()) urls.push(r.url());
    });
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.url().startsWith(world.rootUrl)) last = { status: r.status(), headers: r.headers() };
    });
    await page.goto(url);
    await passProviderPages(page, login, op.issuer);
    await page.waitForLoadState('domcontentloaded');
    const text = (await page.textContent('body')) ?? '';
    await page.close();
    return { ...last, text, urls };
  }

  it('when alice follows her link, then she signs in with Mattermost, consents at the provider, and the connection is stored', async () => {
    const context = await signedInContext(alice);
    try {
      const done = await visit(context, await linkFor(alice));
      assert.match(done.text, /Connected to Test OIDC/, done.text);
      assert.match(done.text, /Connected as alice-op\.\s+You can close this window\./);
      assert.equal(done.status, 200);
      assert.equal(done.headers['cache-control'], 'no-store');
      assert.equal(done.headers['referrer-policy'], 'no-referrer');
      assert.match(done.headers['content-security-policy'] ?? '', /default-src 'none'/);
      // The page's one script (closing the window) runs by its hash alone: nothing inline or fetched besides.
      assert.match(done.headers['content-security-policy'] ?? '', /; script-src 'sha256-[A-Za-z0-9+/]{43}='$/);
      assert.ok(
        done.urls.some((u) => u.startsWith(`${world.mm.url}/oauth/authorize?`) && u.includes('code_challenge_method=S256')),
        'signed in with Mattermost, PKCE S256',
      );

      const row = await world.stores.connections.get(alice.id, 'test-oidc');
      assert.equal(row?.connection.sub, 'alice-op');
      assert.equal(row?.origin, op.issuer);
      assert.ok(row?.tokens.access_token);
      assert.ok(world.mm.posts.some((p) => p.to === alice.id && /You connected your Test OIDC account \*\*alice-op\*\*/.test(p.message)));
      for (let i = 0; i < 50 && world.mm.logouts === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(world.mm.logouts, 1, 'the Mattermost OAuth token is logged out after /users/me');

      const session = (await context.cookies(`${world.rootUrl}/standalone/connect`)).find((c) => c.name === 'oauth2_connect_session');
      assert.equal(session?.httpOnly, true);
      assert.equal(session?.sameSite, 'Lax');
      assert.equal(session?.path, '/standalone');
      assert.ok(session && session.expires > Date.now() / 1000 && session.expires < Date.now() / 1000 + 31 * 60);

      // Replays: the link, the Mattermost callback, the provider callback.
      const since = row?.connection.since;
      const signinCallback = done.urls.find((u) => u.startsWith(`${world.rootUrl}/standalone/signin/callback?`));
      const complete = done.urls.find((u) => u.startsWith(`${world.rootUrl}/standalone/complete/test-oidc?`));
      assert.ok(signinCallback && complete);
      for (const [url, reason] of [
        [done.urls[0], /link has expired or was already used/],
        [signinCallback, /sign-in has expired or was already used/],
        [complete, /attempt has expired or was already used/],
      ] as const) {
        const replay = await visit(context, url ?? '');
        assert.match(replay.text, reason, replay.text);
        assert.match(replay.text, /Nothing was stored/);
      }
      assert.equal((await world.stores.connections.get(alice.id, 'test-oidc'))?.connection.since, since);

      // With a live session for alice, a new link goes straight to the provider; another account there is refused.
      const issued = world.mm.tokensIssued;
      // Forget the provider's own login (same host, other port) but keep the service's session.
      const keep = (await context.cookies()).filter((c) => c.name === 'oauth2_connect_session' || c.name === 'MMAUTHTOKEN');
      await context.clearCookies();
      await context.addCookies(keep);
      const again = await visit(context, await linkFor(alice), 'mallory-op');
      assert.equal(world.mm.tokensIssued, issued, 'no second sign-in');
      assert.match(again.text, /connected as alice-op\. Nothing was changed/, again.text);
      assert.equal((await world.stores.connections.get(alice.id, 'test-oidc'))?.connection.sub, 'alice-op');
    } finally {
      await context.close();
    }
  });

  it("when bob opens alice's link, then a page refuses it and nothing is stored", async () => {
    const context = await signedInContext(bob);
    try {
      const authorizations = op.counters.authorization;
      const before = world.stores.connections.rows.size;
      const refused = await visit(context, await linkFor(alice));
      assert.equal(refused.status, 403);
      assert.match(refused.text, /made for another Mattermost user.*@bob/s, refused.text);
      assert.match(refused.text, /Nothing was stored/);
      assert.equal(op.counters.authorization, authorizations, 'the provider was never contacted');
      assert.equal(world.stores.connections.rows.size, before);
      assert.equal(await world.stores.connections.get(bob.id, 'test-oidc'), undefined);
      assert.equal([...world.stores.sessions.rows.values()].filter((s) => s.user_id === bob.id).length, 0);
      assert.equal([...world.stores.oneTime.rows.values()].filter((r) => r.purpose === 'flow').length, 0);
    } finally {
      await context.close();
    }
  });

  it('when the sign-in callback is opened in another browser, then it is refused (login CSRF)', async () => {
    // The first browser (here: fetch without following redirects) starts the sign-in and stops at the callback.
    const start = await fetch(await linkFor(bob), { redirect: 'manual' });
    assert.equal(start.status, 303);
    assert.match(start.headers.get('set-cookie') ?? '', /oauth2_connect_signin=.*HttpOnly/i);
    const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual', headers: { cookie: `MMAUTHTOKEN=${bob.id}` } });
    const callback = authorize.headers.get('location') ?? '';
    assert.ok(callback.startsWith(`${world.rootUrl}/standalone/signin/callback?`), callback);
    const other = await signedInContext(bob);
    try {
      const refused = await visit(other, callback);
      assert.equal(refused.status, 403);
      assert.match(refused.text, /started in another browser/);
      assert.equal(await world.stores.connections.get(bob.id, 'test-oidc'), undefined);
      assert.equal([...world.stores.sessions.rows.values()].filter((s) => s.user_id === bob.id).length, 0);
    } finally {
      await other.close();
    }
  });

  /** A live session for `user` and a flow record for test-oidc bound to it, as after a sign-in. */
  async function startedFlow(user: FakeUser, sessionUser = user): Promise<{ state: string; cookie: string }> {
    const cookie = randomValue();
    const state = randomValue();
    const now = Date.now();
    await world.stores.sessions.create({ id_hash: hashValue(cookie), user_id: sessionUser.id, created_at: now, expires_at: now + 60_000 });
    await world.stores.oneTime.put({
      key_hash: hashValue(state),
      purpose: 'flow',
      user_id: user.id,
      provider_id: 'test-oidc',
      data: JSON.stringify({ s: hashValue(cookie) }),
      expires_at: now + 60_000,
    });
    return { state, cookie: `oauth2_connect_session=${cookie}` };
  }

  async function completePage(path: string, query: Record<string, string>, cookie: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${world.rootUrl}/standalone/complete/${path}?${new URLSearchParams(query)}`, { headers: { cookie } });
    return { status: response.status, text: await response.text() };
  }

  it('when the provider answers an error, then the page gives the reason and nothing is stored', async () => {
    const carol = world.mm.addUser('carol');
    const { state, cookie } = await startedFlow(carol);
    const page = await completePage('test-oidc', { error: 'access_denied', error_description: '<b>no</b>', state }, cookie);
    assert.match(page.text, /denied|declined|refused/i, page.text);
    assert.doesNotMatch(page.text, /<b>no<\/b>/);
    assert.match(page.text, /Nothing was stored/);
    assert.equal(await world.stores.connections.get(carol.id, 'test-oidc'), undefined);
    assert.equal(world.stores.oneTime.rows.has(hashValue(state)), false, 'the flow is used up');
  });

  it('when the answer comes back on another provider path, or with a session of another user, then it is refused', async () => {
    const dave = world.mm.addUser('dave');
    const mixed = await startedFlow(dave);
    const page = await completePage('other', { code: 'x', state: mixed.state }, mixed.cookie);
    assert.equal(page.status, 403);
    assert.match(page.text, /another provider/);
    const stolen = await startedFlow(dave, alice);
    const other = await completePage('test-oidc', { code: 'x', state: stolen.state }, stolen.cookie);
    assert.equal(other.status, 403);
    assert.match(other.text, /another browser session/);
    const noCookie = await startedFlow(dave);
    assert.equal((await completePage('test-oidc', { code: 'x', state: noCookie.state }, '')).status, 403);
    assert.equal(await world.stores.connections.get(dave.id, 'test-oidc'), undefined);
  });

  it('when a command is forged (no token, wrong token), then 401 and no link exists', async () => {
    const links = world.stores.oneTime.rows.size;
    assert.equal((await world.command(alice, 'connect test-oidc', { token: undefined })).status, 401);
    assert.equal((await world.command(alice, 'connect test-oidc', { token: 'x'.repeat(26) })).status, 401);
    assert.equal(world.stores.oneTime.rows.size, links);
  });
});
