// The remote OAuth2 part of the smoke test: the provider is the second real
// Mattermost server, the browser is Chromium, and the test App does what a
// real App does in /oauth2/connect and /oauth2/complete.
import assert from 'node:assert/strict';
import { addLoginCookies, launchBrowser } from './harness/browser.js';
import type { World } from './harness/fixture.js';
import { APPS_API, MMClient, createOAuthApp, type Session } from './harness/mm_api.js';
import { log } from './harness/run.js';

type CallAs = (s: Session, path: string, expand: Record<string, string>) => Promise<{ ctx: any }>;

export async function runOAuthFlow(w: World, callAs: CallAs): Promise<{ state: string; botUserId: string }> {
  const plugin = `${w.apps.url}/plugins/com.mattermost.apps/apps/e2e-smoke`;
  const { ctx: before } = await callAs(w.alice, '/hello', { oauth2_app: 'all' });
  assert.equal(before.oauth2.connect_url, `${plugin}/oauth2/remote/connect`);
  assert.equal(before.oauth2.complete_url, `${plugin}/oauth2/remote/complete`);
  const completeUrl: string = before.oauth2.complete_url;

  const client = await createOAuthApp(w.providerAdmin.client, {
    name: 'E2E smoke',
    homepage: 'https://example.test/e2e',
    callback_urls: [`${completeUrl}?provider=smoke`],
    is_trusted: true,
  });
  const { ctx: adminCtx } = await callAs(w.admin, '/hello', { acting_user_access_token: 'all' });
  await new MMClient(w.apps.directUrl, adminCtx.acting_user_access_token).json('POST', `${APPS_API}/oauth2/app`, {
    client_id: client.id,
    client_secret: client.client_secret,
    remote_root_url: w.provider.url,
    data: { k: 'v' },
  });
  const { ctx } = await callAs(w.alice, '/hello', { oauth2_app: 'all' });
  assert.deepEqual(ctx.oauth2, {
    remote_root_url: w.provider.url,
    client_id: client.id,
    client_secret: client.client_secret,
    data: { k: 'v' },
    connect_url: before.oauth2.connect_url,
    complete_url: completeUrl,
  });

  let authorizeUrl = '';
  w.app.onCall('/oauth2/connect', (body) => {
    const u = new URL('/oauth/authorize', body.context.oauth2.remote_root_url);
    u.search = new URLSearchParams({
      response_type: 'code',
      client_id: body.context.oauth2.client_id,
      // A query on complete_url, as the App sends it: the plugin must pass it through into the complete call's values.
      redirect_uri: `${body.context.oauth2.complete_url}?provider=smoke`,
      state: body.values.state,
    }).toString();
    authorizeUrl = u.href;
    return { type: 'ok', data: authorizeUrl };
  });
  w.app.onCall('/oauth2/complete', async (body) => {
    const c = body.context;
    // Server-to-server: the provider's 127.0.0.1 address, whatever its SiteURL says.
    const res = await fetch(`${w.provider.directUrl}/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: body.values.code,
        redirect_uri: `${c.oauth2.complete_url}?provider=smoke`,
        client_id: c.oauth2.client_id,
        client_secret: c.oauth2.client_secret,
      }),
    });
    if (!res.ok) throw new Error(`token exchange ${res.status}: ${await res.text()}`);
    const token = await res.json();
    log(
      `provider token response: ${JSON.stringify(Object.fromEntries(Object.entries(token).map(([k, v]) => [k, typeof v === 'string' && v.length > 8 ? '<set>' : v])))}`,
    );
    await new MMClient(w.apps.directUrl, c.acting_user_access_token).json('POST', `${APPS_API}/oauth2/user`, token);
    const bot = new MMClient(w.apps.directUrl, c.bot_access_token);
    const dm = await bot.json('POST', '/api/v4/channels/direct', [c.bot_user_id, c.acting_user.id]);
    await bot.json('POST', '/api/v4/posts', { channel_id: dm.id, message: 'Your account is connected.' });
    return { type: 'ok', text: 'never shown' };
  });

  log('opening connect_url in Chromium');
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await addLoginCookies(context, w.apps.url, w.alice);
    await addLoginCookies(context, w.provider.url, w.providerAlice);
    const page = await context.newPage();
    const navigations: string[] = [];
    page.on('request', (r) => {
      if (r.isNavigationRequest()) navigations.push(r.url());
    });
    const last = await page.goto(ctx.oauth2.connect_url);
    log(`browser went through: ${navigations.join(' -> ')}`);
    assert.equal(last?.status(), 200);
    assert.match(await page.content(), /Completed connecting your account\. Please close this window\./);

    const connect = w.app.calls('/oauth2/connect').at(-1)!.body;
    const state: string = connect.values.state;
    assert.deepEqual(connect.values, { state });
    assert.equal(connect.context.acting_user.id, w.alice.user.id);
    assert.ok(connect.context.acting_user_access_token);
    assert.equal(connect.context.oauth2.client_id, client.id);
    assert.equal(navigations[0], ctx.oauth2.connect_url);
    assert.equal(navigations[1], authorizeUrl, 'the plugin redirected to exactly what the App answered');
    const completed = new URL(navigations[2]!);
    assert.equal(`${completed.origin}${completed.pathname}`, completeUrl);
    assert.equal(completed.searchParams.get('state'), state);

    const complete = w.app.calls('/oauth2/complete').at(-1)!.body;
    console.log(
      '[e2e] /oauth2/complete received:',
      JSON.stringify({ ...complete, context: { ...complete.context, bot_access_token: '…', acting_user_access_token: '…' } }),
    );
    assert.deepEqual(Object.keys(complete.values).sort(), ['code', 'provider', 'state']);
    assert.equal(complete.values.provider, 'smoke', "the plugin passes the redirect URI's own query through into values");
    assert.equal(complete.values.state, state);
    assert.equal(complete.values.code, completed.searchParams.get('code'));
    assert.equal(complete.context.oauth2.user, undefined);

    const stored = await new MMClient(w.apps.directUrl, complete.context.acting_user_access_token).json('GET', `${APPS_API}/oauth2/user`);
    assert.equal(stored.token_type, 'bearer');
    const { ctx: after } = await callAs(w.alice, '/hello', { oauth2_user: 'all' });
    assert.deepEqual(after.oauth2.user, stored);

    const replay = await page.goto(`${completeUrl}?code=again&state=${state}`);
    log(`replaying the state: HTTP ${replay?.status()} ${(await replay?.text())?.trim()}`);
    assert.equal(replay?.status(), 403);
    return { state, botUserId: complete.context.bot_user_id };
  } finally {
    await browser.close();
  }
}
