/**
 * Mattermost as provider: the quirks the preset handles (docs/mattermost.md,
 * "Sign in with Mattermost, and Mattermost as a provider").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import type { ProviderConfig, TokenSet } from '../../../packages/engine/src/types.js';
import { isOAuthErrorWith } from './flow_helpers.js';
import { FIXTURES, MATTERMOST_METADATA } from './preset_fixtures.js';
import { type StubRoute, json, stubFetch } from './stub_fetch.js';

const mm = FIXTURES.find((f) => f.name === 'mattermost')!;
const PUBLIC: ProviderConfig = { ...mm.config, client_secret: undefined, token_endpoint_auth_method: 'none' };
const TOKENS: TokenSet = { access_token: 'mm-access-token-26chars', refresh_token: 'mm-refresh-token-26char', token_type: 'bearer', obtained_at: 1 };
const LOGOUT = 'POST https://mm.example.com/api/v4/users/logout';

function engineWith(routes: Record<string, StubRoute>) {
  const stub = stubFetch({ ...mm.routes, ...routes });
  return { stub, engine: createOAuthEngine({ fetch: stub.fetch, now: () => 5000, httpTimeoutMs: 1000, discoveryTtlMs: 60_000 }) };
}

function appError(status: number, id: string) {
  return json(status, { id, message: 'Something about the request.', detailed_error: '', request_id: 'r1', status_code: status });
}

function exchange(engine: ReturnType<typeof engineWith>['engine'], config = mm.config) {
  return engine.complete(config, {
    params: { code: 'code-52-chars', state: 's' },
    redirect_uri: 'https://app/cb',
    expected_state: 's',
    code_verifier: 'v'.repeat(43),
  });
}

describe('mattermost preset', () => {
  it('when a public client exchanges its code, then the empty id_token, refresh_token and scope are dropped', async () => {
    const { engine, stub } = engineWith({
      [mm.tokenRoute]: json(200, { access_token: 'a'.repeat(26), token_type: 'bearer', expires_in: 2592000, scope: '', refresh_token: '', id_token: '' }),
      [mm.accountRoute]: json(200, mm.accountBody),
    });
    const done = await exchange(engine, PUBLIC);
    assert.deepEqual(done.tokens, { access_token: 'a'.repeat(26), token_type: 'bearer', obtained_at: 5000, expires_at: 5000 + 2_592_000_000 });
    assert.deepEqual([done.account.sub, done.account.label], ['u8xk3pw6yfbd5mwo3ua4hx7bsr', 'alice']);
    const body = new URLSearchParams(stub.to(mm.tokenRoute)[0]!.body);
    assert.equal(body.get('client_id'), 'mattermost-client');
    assert.equal(body.get('client_secret'), null);
    assert.equal(body.get('redirect_uri'), 'https://app/cb');
  });

  it('when a confidential client exchanges its code, then the secret is posted in the body (client_secret_post)', async () => {
    const { engine, stub } = engineWith({
      [mm.tokenRoute]: json(200, {
        access_token: 'a'.repeat(26),
        token_type: 'bearer',
        expires_in: 60,
        scope: '',
        refresh_token: 'r'.repeat(26),
        id_token: '',
      }),
      [mm.accountRoute]: json(200, mm.accountBody),
    });
    const done = await exchange(engine);
    assert.equal(done.tokens.refresh_token, 'r'.repeat(26));
    assert.equal(new URLSearchParams(stub.to(mm.tokenRoute)[0]!.body).get('client_secret'), mm.config.client_secret);
    assert.equal(stub.to(mm.tokenRoute)[0]!.headers.get('authorization'), null);
  });

  const appErrors: Array<[string, number, string, string]> = [
    ['code', 400, 'api.oauth.get_access_token.expired_code.app_error', 'invalid_grant'],
    ['code', 400, 'api.oauth.get_access_token.redirect_uri.app_error', 'invalid_grant'],
    ['code', 400, 'model.access_data.validate_pkce.app_error', 'invalid_grant'],
    ['code', 400, 'api.oauth.get_access_token.bad_grant.app_error', 'provider_error'],
    ['code', 401, 'api.oauth.get_access_token.credentials.app_error', 'invalid_client'],
    ['code', 403, 'api.oauth.get_access_token.expired_code.app_error', 'invalid_grant'],
    ['code', 404, 'api.oauth.get_access_token.bad_client_id.app_error', 'invalid_client'],
    ['refresh', 404, 'api.oauth.get_access_token.refresh_token.app_error', 'invalid_grant'],
    ['refresh', 400, 'model.oauth.validate_grant.public_client_refresh_token.app_error', 'invalid_grant'],
    ['refresh', 501, 'api.oauth.get_access_token.disabled.app_error', 'provider_unavailable'],
  ];
  for (const [grant, status, id, code] of appErrors) {
    it(`when the ${grant} grant gets AppError ${status} ${id}, then it fails with ${code}`, async () => {
      const { engine } = engineWith({ [mm.tokenRoute]: appError(status, id) });
      const work = grant === 'code' ? exchange(engine) : engine.refresh(mm.config, TOKENS);
      await assert.rejects(work, isOAuthErrorWith(code, [TOKENS.refresh_token, mm.config.client_secret, 'code-52-chars']));
    });
  }

  it('when disconnecting, then the OAuth session is logged out with the Bearer token', async () => {
    const { engine, stub } = engineWith({ [LOGOUT]: json(200, { status: 'OK' }) });
    assert.deepEqual(await engine.revoke(mm.config, TOKENS), { supported: true, revoked: true });
    assert.equal(stub.to(LOGOUT)[0]!.headers.get('authorization'), `Bearer ${TOKENS.access_token}`);
  });

  it('when the access token has expired at disconnect, then a refresh gives a live one to log out with', async () => {
    const { engine, stub } = engineWith({
      [LOGOUT]: (request) =>
        request.headers.get('authorization') === 'Bearer fresh-access' ? json(200, { status: 'OK' }) : appError(401, 'api.context.session_expired.app_error'),
      [mm.tokenRoute]: json(200, {
        access_token: 'fresh-access',
        token_type: 'bearer',
        expires_in: 60,
        refresh_token: 'fresh-refresh',
        scope: '',
        id_token: '',
      }),
    });
    assert.deepEqual(await engine.revoke(mm.config, TOKENS), { supported: true, revoked: true });
    assert.equal(stub.to(LOGOUT).length, 2);
  });

  it('when Mattermost cannot be reached at disconnect, then revoke() reports it and does not throw', async () => {
    const { engine } = engineWith({ [LOGOUT]: 'network-failure' });
    const result = await engine.revoke(mm.config, TOKENS);
    assert.equal(result.revoked, false);
    assert.ok(result.detail && !result.detail.includes(TOKENS.access_token));
  });

  it('when a client registers, then the answer without client_secret_expires_at is accepted', async () => {
    const { engine, stub } = engineWith({
      'POST https://mm.example.com/api/v4/oauth/apps/register': json(201, {
        client_id: 'k'.repeat(26),
        client_secret: 'p'.repeat(26),
        redirect_uris: ['https://app/cb'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'user',
        client_name: 'OAuth2 Connect',
      }),
    });
    const registered = await engine.register(mm.config, {
      redirect_uris: ['https://app/cb'],
      client_name: 'OAuth2 Connect',
      token_endpoint_auth_method: 'client_secret_post',
    });
    assert.deepEqual(registered, { client_id: 'k'.repeat(26), client_secret: 'p'.repeat(26), token_endpoint_auth_method: 'client_secret_post' });
    assert.equal(JSON.parse(stub.requests.at(-1)!.body).client_name, 'OAuth2 Connect');
  });

  it('when DCR is disabled, then register() fails with a clear provider error', async () => {
    const { engine } = engineWith({
      'POST https://mm.example.com/api/v4/oauth/apps/register': json(400, { error: 'unsupported_operation', error_description: 'DCR is disabled' }),
    });
    await assert.rejects(
      engine.register(mm.config, { redirect_uris: ['https://app/cb'], client_name: 'x', token_endpoint_auth_method: 'none' }),
      (err: { code?: string; adminDetail?: string }) => err.code === 'provider_error' && /unsupported_operation/.test(err.adminDetail ?? ''),
    );
  });

  it('when a public client is tested, then the auth method check passes although the metadata lists only client_secret_post', async () => {
    const { engine } = engineWith({});
    const checks = await engine.check(PUBLIC);
    assert.deepEqual(
      checks.filter((c) => !c.ok),
      [],
    );
    assert.match(checks.find((c) => c.name === 'auth_method')!.detail, /although/);
  });

  it('when the site URL has a sub-path, then the metadata is read under that path', async () => {
    const base = 'https://host.example.com/mm';
    const metadata = { ...MATTERMOST_METADATA, issuer: base, authorization_endpoint: `${base}/oauth/authorize`, token_endpoint: `${base}/oauth/access_token` };
    const { engine, stub } = engineWith({ 'GET https://host.example.com/mm/.well-known/oauth-authorization-server': json(200, metadata) });
    assert.equal((await engine.resolve({ ...mm.config, base_url: `${base}/` })).endpoints.token_endpoint, `${base}/oauth/access_token`);
    assert.equal(stub.requests.length, 1);
  });

  it('when the provider is disabled (501 on the metadata), then the test reports the metadata as unreachable', async () => {
    const { engine } = engineWith({
      'GET https://mm.example.com/.well-known/oauth-authorization-server': json(501, { id: 'api.oauth.disabled', status_code: 501 }),
    });
    const checks = await engine.check(mm.config);
    assert.deepEqual(
      checks.map((c) => [c.name, c.ok]),
      [['metadata', false]],
    );
  });
});
