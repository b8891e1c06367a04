/**
 * Each preset through authorizationUrl() and complete() against its stubbed provider.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import type { OAuthEngine } from '../../../packages/engine/src/types.js';
import { isOAuthErrorWith } from './flow_helpers.js';
import { CLIENT_SECRET, FIXTURES, MICROSOFT_TID, type PresetFixture, SIGNER } from './preset_fixtures.js';
import { type StubRoute, json, stubFetch } from './stub_fetch.js';

const REDIRECT = 'https://mm.example.com/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete';
const VERIFIER = 'verifier-'.padEnd(43, 'x');
const CODE = 'authorization-code-secret-42';

function engineWith(routes: Record<string, StubRoute>) {
  const stub = stubFetch(routes);
  return { stub, engine: createOAuthEngine({ fetch: stub.fetch, now: () => 1_800_000_000_000, httpTimeoutMs: 1000, discoveryTtlMs: 60_000 }) };
}

async function tokenAnswer(fixture: PresetFixture, idTokenClaims: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = { access_token: 'access-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-1' };
  if (fixture.idTokenIssuer) {
    const tid = fixture.name === 'microsoft' ? { tid: MICROSOFT_TID } : {};
    body.id_token = await SIGNER.sign({ iss: fixture.idTokenIssuer, aud: fixture.config.client_id, sub: 'user-1', nonce: 'nonce-1', ...tid, ...idTokenClaims });
  }
  return json(200, body);
}

function complete(engine: OAuthEngine, fixture: PresetFixture, params: Record<string, string> = { code: CODE, state: 'state-1' }) {
  return engine.complete(fixture.config, { params, redirect_uri: REDIRECT, expected_state: 'state-1', code_verifier: VERIFIER, nonce: 'nonce-1' });
}

for (const fixture of FIXTURES) {
  describe(`${fixture.name} preset, the flow`, () => {
    it('when the authorization URL is built, then it has PKCE S256, the state, the exact redirect URI and the preset defaults', async () => {
      const { engine } = engineWith(fixture.routes);
      const url = new URL(
        await engine.authorizationUrl(fixture.config, { state: 'state-1', redirect_uri: REDIRECT, code_verifier: VERIFIER, nonce: 'nonce-1' }),
      );
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.equal(url.searchParams.get('state'), 'state-1');
      assert.equal(url.searchParams.get('redirect_uri'), REDIRECT);
      assert.equal(url.searchParams.get('response_type'), 'code');
      assert.equal(url.searchParams.get('nonce'), fixture.idTokenIssuer ? 'nonce-1' : null);
      assert.equal(url.searchParams.get('client_secret'), null);
    });

    it('when the code is exchanged, then the tokens and the account come back and the request carries the verifier', async () => {
      const { engine, stub } = engineWith({
        ...fixture.routes,
        [fixture.tokenRoute]: await tokenAnswer(fixture),
        [fixture.accountRoute]: json(200, fixture.accountBody),
      });
      const done = await complete(engine, fixture);
      assert.deepEqual({ sub: done.account.sub, label: done.account.label }, fixture.expectedAccount);
      assert.equal(done.tokens.access_token, 'access-1');
      assert.equal(done.tokens.refresh_token, 'refresh-1');
      assert.equal(done.tokens.expires_at, 1_800_000_000_000 + 3_600_000);
      const body = new URLSearchParams(stub.to(fixture.tokenRoute)[0]!.body);
      assert.deepEqual(
        [body.get('grant_type'), body.get('code'), body.get('code_verifier'), body.get('redirect_uri')],
        ['authorization_code', CODE, VERIFIER, REDIRECT],
      );
      assert.equal(stub.to(fixture.accountRoute)[0]!.headers.get('authorization'), 'Bearer access-1');
    });

    it('when the redirect says access_denied, then complete() fails with access_denied and makes no request', async () => {
      const { engine, stub } = engineWith(fixture.routes);
      await assert.rejects(complete(engine, fixture, { error: 'access_denied', state: 'state-1' }), isOAuthErrorWith('access_denied'));
      assert.equal(stub.to(fixture.tokenRoute).length, 0);
    });

    it('when the redirect carries another error, then complete() fails with provider_error naming it', async () => {
      const { engine } = engineWith(fixture.routes);
      await assert.rejects(
        complete(engine, fixture, { error: 'server_error', error_description: 'down', state: 'state-1' }),
        (err: { code?: string; userMessage?: string }) => err.code === 'provider_error' && /server_error/.test(err.userMessage ?? ''),
      );
    });

    it('when the account endpoint refuses the token, then complete() fails with invalid_grant without leaking it', async () => {
      const { engine } = engineWith({
        ...fixture.routes,
        [fixture.tokenRoute]: await tokenAnswer(fixture),
        [fixture.accountRoute]: json(401, { message: 'bad token' }),
      });
      await assert.rejects(complete(engine, fixture), isOAuthErrorWith('invalid_grant', ['access-1', CODE, VERIFIER, CLIENT_SECRET]));
    });

    if (fixture.idTokenIssuer) {
      it('when the id_token names another issuer, then complete() fails with security', async () => {
        const { engine } = engineWith({
          ...fixture.routes,
          [fixture.tokenRoute]: await tokenAnswer(fixture, { iss: 'https://evil.example' }),
          [fixture.accountRoute]: json(200, fixture.accountBody),
        });
        await assert.rejects(complete(engine, fixture), isOAuthErrorWith('security'));
      });

      it('when userinfo names another subject than the id_token, then complete() fails with security', async () => {
        const { engine } = engineWith({
          ...fixture.routes,
          [fixture.tokenRoute]: await tokenAnswer(fixture),
          [fixture.accountRoute]: json(200, { ...fixture.accountBody, sub: 'someone-else' }),
        });
        await assert.rejects(complete(engine, fixture), isOAuthErrorWith('security'));
      });

      it('when the id_token is missing from an OIDC answer, then complete() fails', async () => {
        const { engine } = engineWith({ ...fixture.routes, [fixture.tokenRoute]: json(200, { access_token: 'a', token_type: 'bearer' }) });
        await assert.rejects(complete(engine, fixture), (err: { name?: string }) => err.name === 'OAuthError');
      });
    }
  });
}
