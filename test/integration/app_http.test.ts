import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { startApp, type RunningApp } from '../support/app_server.js';

let app: RunningApp;
const secret = 'integration-jwt-secret-0123456789';

async function jwt(claims: Record<string, unknown> = {}, key = secret, alg = 'HS256', exp: number | string = '5m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).setExpirationTime(exp).sign(Buffer.from(key));
}

async function post(path: string, body: string | object, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined && { 'mattermost-app-authorization': `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('the App over HTTP', () => {
  before(async () => {
    app = await startApp({ APP_JWT_SECRET: secret });
  });
  after(() => app.close());

  it('when the manifest is fetched, then it carries the configured root_url, use_jwt and a short version', async () => {
    const manifest = (await (await fetch(`${app.url}/manifest.json`)).json()) as Record<string, any>;
    assert.equal(manifest.http.root_url, app.url);
    assert.equal(manifest.http.use_jwt, true);
    assert.ok(manifest.version.length <= 10);
    assert.deepEqual(manifest.requested_permissions, ['act_as_bot', 'act_as_user', 'remote_oauth2']);
  });

  it('when the icon is fetched, then a PNG comes back', async () => {
    const res = await fetch(`${app.url}/static/icon.png`);
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  });

  it('when /ping is signed, then it answers ok', async () => {
    assert.deepEqual(await post('/ping', { context: {} }, await jwt()), { status: 200, json: { type: 'ok' } });
  });

  for (const [name, token] of [
    ['missing', undefined],
    ['signed with another secret', () => jwt({}, 'another-secret-another-secret')],
    ['expired', () => jwt({}, secret, 'HS256', Math.floor(Date.now() / 1000) - 60)],
    ['alg none', async () => new UnsecuredJWT({}).setExpirationTime('5m').encode()],
    ['HS512', () => jwt({}, secret, 'HS512')],
    ['without exp', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(secret))],
    ['garbage', async () => 'not.a.jwt'],
  ] as const) {
    it(`when the JWT is ${name}, then the call gets 401 and no handler runs`, async () => {
      const before = app.logs.filter((l) => l.includes('"msg":"call"')).length;
      const res = await post('/status', { context: { acting_user: { id: 'u1' } } }, typeof token === 'function' ? await token() : token);
      assert.equal(res.status, 401);
      assert.equal(res.json.type, 'error');
      assert.equal(app.logs.filter((l) => l.includes('"msg":"call"')).length, before);
    });
  }

  it('when the JWT names another acting user than the context, then 401', async () => {
    const res = await post('/status', { context: { acting_user: { id: 'someone-else' } } }, await jwt({ acting_user_id: 'u1' }));
    assert.equal(res.status, 401);
  });

  for (const [name, body, expected] of [
    ['malformed JSON', '{"context":', /not valid JSON/],
    ['an array', '[1,2]', /must be a JSON object/],
    ['a string', '"hello"', /must be a JSON object/],
    ['values of a wrong type', { values: 'x', context: {} }, /"values" must be an object/],
    ['a value of a wrong type', { values: { provider: { nested: true } }, context: {} }, /unexpected type/],
    ['context of a wrong type', { context: [] }, /"context" must be an object/],
  ] as const) {
    it(`when the body is ${name}, then HTTP 200 with a clear error`, async () => {
      const res = await post('/status', body as never, await jwt());
      assert.equal(res.status, 200);
      assert.equal(res.json.type, 'error');
      assert.match(res.json.text, expected);
      assert.doesNotMatch(res.json.text, /at .*\.ts:\d+/);
    });
  }

  it('when the body is larger than the limit, then HTTP 200 with a clear error', async () => {
    const res = await post('/status', { values: { x: 'a'.repeat(300_000) } }, await jwt());
    assert.equal(res.status, 200);
    assert.match(res.json.text, /too large/);
  });

  it('when the path cannot be decoded and the JWT is missing, then 401 (the JWT check comes first)', async () => {
    const res = await fetch(`${app.url}/%zz`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 401);
  });

  it('when context.oauth2.complete_url is not a string (fuzz seed 822919), then a clear error and no authorize URL', async () => {
    const res = await post(
      '/oauth2/connect',
      { values: { state: 'x.u1' }, context: { acting_user: { id: 'u1' }, oauth2: { complete_url: { nested: 1 } } } },
      await jwt(),
    );
    assert.equal(res.json.type, 'error');
    assert.match(res.json.text, /context\.oauth2\.complete_url" must be a string/);
  });

  it('when the path is unknown, then HTTP 200 with an error naming it', async () => {
    const res = await post('/nope', { context: {} }, await jwt({ acting_user_id: 'u1' }));
    assert.deepEqual(res, { status: 200, json: { type: 'error', text: 'Unknown call path "/nope".' } });
  });

  it('when a body claims system_admin but carries no token Mattermost could confirm, then an admin path is refused', async () => {
    const res = await post(
      '/provider/add',
      { context: { acting_user: { id: 'u1', roles: 'system_user system_admin' } }, values: { preset: 'oidc' } },
      await jwt({ acting_user_id: 'u1' }),
    );
    assert.equal(res.json.type, 'error');
    assert.match(res.json.text, /did not receive your access token/);
  });

  it('when calls are made, then each writes one JSON log line with path, user, duration and outcome, and no secret', async () => {
    await post('/help', { context: { acting_user: { id: 'u42' } } }, await jwt({ acting_user_id: 'u42' }));
    const line = app.logs.map((l) => JSON.parse(l)).findLast((l) => l.msg === 'call' && l.path === '/help');
    assert.equal(line.user_id, 'u42');
    assert.equal(line.outcome, 'ok');
    assert.equal(typeof line.duration_ms, 'number');
    for (const s of app.secrets) assert.ok(!app.logs.some((l) => l.includes(s)));
  });
});
