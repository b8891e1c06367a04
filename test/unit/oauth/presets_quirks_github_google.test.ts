/**
 * What is particular to the GitHub and Google presets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { isOAuthErrorWith } from './flow_helpers.js';
import { engineWith, exchange, fixture, TOKENS } from './quirk_helpers.js';
import { SIGNER } from './preset_fixtures.js';
import { json, stubFetch } from './stub_fetch.js';

describe('github preset', () => {
  const github = fixture('github');
  for (const [githubError, code] of [
    ['bad_verification_code', 'invalid_grant'],
    ['incorrect_client_credentials', 'invalid_client'],
    ['redirect_uri_mismatch', 'redirect_uri_mismatch'],
  ] as const) {
    it(`when the code exchange answers 200 with error=${githubError}, then it fails with ${code}`, async () => {
      const { engine } = engineWith({
        [github.tokenRoute]: json(200, { error: githubError, error_description: 'see the docs', error_uri: 'https://docs.github.com' }),
      });
      await assert.rejects(
        exchange(github.config, engine),
        isOAuthErrorWith(
          code,
          ['c', 'v'.repeat(43)].filter((s) => s.length > 3),
        ),
      );
    });
  }

  it('when the profile is read, then it goes to the REST API with a User-Agent and the GitHub media type, and no discovery is made', async () => {
    const { engine, stub } = engineWith({ [github.accountRoute]: json(200, github.accountBody) });
    const account = await engine.account(github.config, TOKENS);
    assert.equal(account.sub, '583231');
    const request = stub.requests[0]!;
    assert.equal(stub.requests.length, 1);
    assert.ok(request.headers.get('user-agent'));
    assert.equal(request.headers.get('accept'), 'application/vnd.github+json');
  });

  it('when GitHub Enterprise is configured, then its own login and API URLs are used', async () => {
    const config = { ...github.config, base_url: 'https://ghe.example.com/' };
    const { engine, stub } = engineWith({ 'GET https://ghe.example.com/api/v3/user': json(200, github.accountBody) });
    const url = new URL(await engine.authorizationUrl(config, { state: 's', redirect_uri: 'https://app/cb', code_verifier: 'v'.repeat(43) }));
    assert.equal(url.origin + url.pathname, 'https://ghe.example.com/login/oauth/authorize');
    assert.equal((await engine.account(config, TOKENS)).label, 'octocat');
    assert.equal(stub.requests.length, 1);
  });

  it('when tokens are revoked, then it says revocation is unsupported and calls nothing', async () => {
    const { engine, stub } = engineWith({});
    assert.deepEqual({ ...(await engine.revoke(github.config, TOKENS)), detail: undefined }, { supported: false, revoked: false, detail: undefined });
    assert.equal(stub.requests.length, 0);
  });
});

describe('google preset', () => {
  const google = fixture('google');
  it('when the authorization URL is built, then it asks for offline access with consent', async () => {
    const { engine } = engineWith(google.routes);
    const url = new URL(
      await engine.authorizationUrl(google.config, { state: 's', redirect_uri: 'https://app/cb', code_verifier: 'v'.repeat(43), nonce: 'n' }),
    );
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(url.searchParams.get('scope'), 'openid email profile');
  });

  it('when the admin sets prompt to an empty value, then the default prompt is dropped', async () => {
    const { engine } = engineWith(google.routes);
    const config = { ...google.config, extra_authorize_params: { prompt: '', login_hint: 'a@b.c', state: 'cannot-override' } };
    const url = new URL(await engine.authorizationUrl(config, { state: 's', redirect_uri: 'https://app/cb', code_verifier: 'v'.repeat(43), nonce: 'n' }));
    assert.equal(url.searchParams.get('prompt'), null);
    assert.equal(url.searchParams.get('login_hint'), 'a@b.c');
    assert.equal(url.searchParams.get('state'), 's');
  });

  it('when tokens are revoked and the metadata has no revocation endpoint, then the preset one gets refresh then access token', async () => {
    const { engine, stub } = engineWith({ ...google.routes, [google.revocationRoute!]: new Response(null, { status: 200 }) });
    assert.deepEqual(await engine.revoke(google.config, TOKENS), { supported: true, revoked: true });
    const sent = stub.to(google.revocationRoute!).map((r) => new URLSearchParams(r.body));
    assert.deepEqual(
      sent.map((b) => [b.get('token'), b.get('token_type_hint')]),
      [
        ['refresh-1', 'refresh_token'],
        ['access-1', 'access_token'],
      ],
    );
  });

  it('when the revocation endpoint fails, then revoke() reports it without throwing or leaking the tokens', async () => {
    const { engine } = engineWith({ ...google.routes, [google.revocationRoute!]: json(400, { error: 'invalid_request' }) });
    const result = await engine.revoke(google.config, TOKENS);
    assert.equal(result.revoked, false);
    assert.ok(result.detail && !result.detail.includes('refresh-1') && !result.detail.includes('access-1'));
  });

  it('when the id_token iss is the bare "accounts.google.com" Google documents, then it is accepted', async () => {
    const idToken = await SIGNER.sign({ iss: 'accounts.google.com', aud: google.config.client_id, sub: 'user-1', nonce: 'n' });
    const { engine } = engineWith({
      ...google.routes,
      [google.tokenRoute]: json(200, { access_token: 'a', token_type: 'Bearer', id_token: idToken }),
      [google.accountRoute]: json(200, google.accountBody),
    });
    const done = await engine.complete(google.config, {
      params: { code: 'c', state: 's' },
      redirect_uri: 'https://app/cb',
      expected_state: 's',
      code_verifier: 'v'.repeat(43),
      nonce: 'n',
    });
    assert.equal(done.account.sub, 'user-1');
  });

  it('when the revocation endpoint hangs, then revoke() gives up after the timeout', async () => {
    const stub = stubFetch({ ...google.routes, [google.revocationRoute!]: 'hang' });
    const engine = createOAuthEngine({ fetch: stub.fetch, now: Date.now, httpTimeoutMs: 1000, revocationTimeoutMs: 30, discoveryTtlMs: 1000 });
    const started = Date.now();
    const result = await engine.revoke(google.config, TOKENS);
    assert.equal(result.revoked, false);
    assert.ok(Date.now() - started < 900);
  });
});
