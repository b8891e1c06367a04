// Smoke test against a real Mattermost server and the real Apps plugin v1.2.2.
// Each assertion pins a fact of the plugin's protocol (docs/mattermost.md, "The
// Apps framework") that the project's in-process fake of the plugin must reproduce.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { setupWorld, type World } from './harness/fixture.js';
import { APPS_API, MMClient, appsCall, directPosts, type Session } from './harness/mm_api.js';
import { runOAuthFlow } from './smoke_oauth.js';

const APP_ID = 'e2e-smoke';
const JWT_SECRET = 'e2e-jwt-secret';
const MANIFEST = {
  app_id: APP_ID,
  version: 'v1.0.0',
  display_name: 'E2E Smoke',
  homepage_url: 'https://example.test/e2e',
  icon: 'icon.png',
  requested_permissions: ['act_as_bot', 'act_as_user', 'remote_oauth2'],
  requested_locations: ['/command'],
};
const USER_AGENT_KEYS = ['location', 'channel_id', 'team_id', 'post_id', 'root_post_id', 'user_id', 'user_agent', 'track_as_submit'];

describe('real Mattermost + Apps plugin', { timeout: 20 * 60_000 }, () => {
  let w: World;
  const apiAs = (token: string) => new MMClient(w.apps.directUrl, token);

  /** A user-agent call as the webapp makes it; returns the response and what the App received. */
  async function callAs(s: Session, path: string, expand: Record<string, string>, values: Record<string, unknown> = {}) {
    const seen = w.app.calls(path).length;
    const response = await appsCall(s.client, {
      path,
      expand,
      values,
      raw_command: `/${APP_ID} hello`,
      context: { app_id: APP_ID, location: '/command', channel_id: w.channelId, team_id: w.team.id, user_agent: 'webapp', track_as_submit: true },
    });
    const got = w.app.calls(path)[seen];
    assert.ok(got, `the App got no ${path} call; response ${JSON.stringify(response)}`);
    return { response, got, ctx: got.body.context };
  }

  before(async () => {
    w = await setupWorld(MANIFEST, JWT_SECRET);
    w.app.onCall('/hello', () => ({ type: 'ok', text: 'hello' }));
  });
  after(async () => {
    await w?.teardown();
  });

  it('installs: POST /ping first with an all-empty context, then the icon, then /bindings', async () => {
    const [ping] = w.app.calls('/ping');
    assert.deepEqual(ping?.body, { path: '/ping', context: { app_id: '', mattermost_site_url: '', app_path: '', bot_user_id: '', oauth2: {} } });
    assert.ok(w.app.requests.some((r) => r.method === 'GET' && r.path === '/static/icon.png'));
    assert.equal(w.app.calls('/bindings').length >= 1, true, 'no on_install, so the plugin checks /bindings');
    assert.match(w.installResponse.text ?? '', /Installed app `e2e-smoke`: E2E Smoke\./);
  });

  it('signs every call with an HS256 JWT (secret from the consent form), claims exp and acting_user_id only', async () => {
    const { got } = await callAs(w.alice, '/hello', { acting_user: 'summary' });
    const header = String(got.headers['mattermost-app-authorization']);
    assert.match(header, /^Bearer /);
    const jwt = header.slice('Bearer '.length);
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(JWT_SECRET), { algorithms: ['HS256'] });
    assert.deepEqual(Object.keys(payload).sort(), ['acting_user_id', 'exp']);
    assert.equal(payload.acting_user_id, w.alice.user.id);
    const ttl = payload.exp! - Date.now() / 1000;
    assert.ok(ttl > 14 * 60 && ttl <= 15 * 60 + 5, `exp is now+15min, got ${ttl}s`);
    const pingJwt = String(w.app.calls('/ping')[0]!.headers['mattermost-app-authorization']).slice(7);
    assert.equal((await jwtVerify(pingJwt, new TextEncoder().encode(JWT_SECRET))).payload.acting_user_id, undefined);
  });

  it('forwards a user call with the user-agent context stripped and expands applied', async () => {
    const { response, got, ctx } = await callAs(
      w.alice,
      '/hello',
      { acting_user: 'summary', acting_user_access_token: 'all', channel: 'id', team: 'id' },
      { message: 'hi', n: 2 ** 53 + 1 },
    );
    console.log('[e2e] context received by the App:', JSON.stringify(got.body));
    assert.equal(got.body.path, '/hello');
    assert.equal(got.body.raw_command, `/${APP_ID} hello`);
    assert.equal(got.body.values.message, 'hi');
    assert.equal(got.body.values.n, 9007199254740992, 'numbers go through float64');
    assert.equal(ctx.app_id, '');
    for (const key of USER_AGENT_KEYS) assert.equal(key in ctx, false, `context.${key} reached the App`);
    assert.equal(ctx.mattermost_site_url, w.apps.url);
    assert.equal(ctx.app_path, `/plugins/com.mattermost.apps/apps/${APP_ID}`);
    assert.equal(ctx.developer_mode, true);
    assert.ok(ctx.bot_user_id && ctx.bot_access_token && ctx.acting_user_access_token);
    assert.equal(ctx.acting_user.id, w.alice.user.id);
    assert.equal(ctx.channel.id, w.channelId);
    assert.equal(ctx.team.id, w.team.id);
    assert.deepEqual(ctx.oauth2, {});
    assert.equal(response.type, 'ok');
    assert.equal(response.app_metadata.bot_user_id, ctx.bot_user_id);
  });

  it('KV: {} when unset, scoped per token user, 8 KiB limit, JSON only, app sessions only', async () => {
    const { ctx } = await callAs(w.alice, '/hello', { acting_user_access_token: 'all' });
    const bot = apiAs(ctx.bot_access_token);
    const user = apiAs(ctx.acting_user_access_token);
    assert.equal(await (await bot.raw('GET', `${APPS_API}/kv/k1`)).text(), '{}');
    assert.deepEqual(await bot.json('PUT', `${APPS_API}/kv/k1`, { by: 'bot' }), { changed: true });
    // "changed" is pluginapi KV.Set's "was written": true again for the same value.
    assert.deepEqual(await bot.json('PUT', `${APPS_API}/kv/k1`, { by: 'bot' }), { changed: true });
    assert.deepEqual(await bot.json('GET', `${APPS_API}/kv/k1`), { by: 'bot' });
    assert.deepEqual(await user.json('GET', `${APPS_API}/kv/k1`), {}, 'the user token sees its own namespace');
    await user.json('POST', `${APPS_API}/kv/px/k1`, { by: 'alice' });
    assert.deepEqual(await user.json('GET', `${APPS_API}/kv/px/k1`), { by: 'alice' });
    assert.deepEqual(await bot.json('GET', `${APPS_API}/kv/px/k1`), {});
    const exact = `"${'a'.repeat(8190)}"`; // 8192 bytes
    assert.equal((await bot.raw('PUT', `${APPS_API}/kv/big`, exact)).status, 200);
    const over = await bot.raw('PUT', `${APPS_API}/kv/big`, `"${'a'.repeat(8191)}"`);
    assert.equal(over.status, 500);
    assert.match(await over.text(), /size limit of 8Kb exceeded/);
    assert.equal((await bot.raw('PUT', `${APPS_API}/kv/bad`, '{not json')).status, 400);
    assert.equal((await bot.raw('DELETE', `${APPS_API}/kv/k1`)).status, 200);
    assert.equal(await (await bot.raw('GET', `${APPS_API}/kv/k1`)).text(), '{}');
    assert.equal((await w.alice.client.raw('GET', `${APPS_API}/kv/k1`)).status, 401, 'a login session is not an app session');
  });

  it('oauth2/app needs a sysadmin acting token; oauth2/user a user token; GET oauth2/user is empty when unset', async () => {
    const { ctx: adminCtx } = await callAs(w.admin, '/hello', { acting_user_access_token: 'all' });
    const { ctx } = await callAs(w.alice, '/hello', { acting_user_access_token: 'all' });
    const body = { client_id: 'x', client_secret: 'y' };
    const byBot = await apiAs(ctx.bot_access_token).raw('POST', `${APPS_API}/oauth2/app`, body);
    const byUser = await apiAs(ctx.acting_user_access_token).raw('POST', `${APPS_API}/oauth2/app`, body);
    // 401 (not 403) for both, with the same plain-text reason.
    for (const res of [byBot, byUser]) {
      assert.equal(res.status, 401);
      assert.match(await res.text(), /limited to users with permission: manage_system: unauthorized/);
    }
    const byAdmin = await apiAs(adminCtx.acting_user_access_token).raw('POST', `${APPS_API}/oauth2/app`, body);
    assert.equal(byAdmin.status, 200);
    assert.equal(await byAdmin.text(), '');
    const unset = await apiAs(ctx.acting_user_access_token).raw('GET', `${APPS_API}/oauth2/user`);
    assert.equal(unset.status, 200);
    assert.equal(await unset.text(), '', 'empty body, not {}');
    const botUser = await apiAs(ctx.bot_access_token).raw('GET', `${APPS_API}/oauth2/user`);
    console.log(`[e2e] GET oauth2/user by bot: ${botUser.status} ${(await botUser.text()).trim()}`);
    assert.equal(botUser.status >= 400, true);
  });

  it('runs the remote OAuth2 flow in a real browser against the provider Mattermost', async () => {
    const r = await runOAuthFlow(w, callAs);
    assert.match(r.state, /^[A-Za-z0-9_-]{20}\.[a-z0-9]{26}$/);
    assert.equal(r.state.length, 47);
    assert.ok(r.state.endsWith(`.${w.alice.user.id}`));
    const posts = await directPosts(w.alice.client, w.alice.user.id, r.botUserId);
    assert.ok(
      posts.some((p) => p.user_id === r.botUserId && p.message.includes('connected')),
      'the bot DM arrived',
    );
  });
});
