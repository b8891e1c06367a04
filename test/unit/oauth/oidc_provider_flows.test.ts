import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type StartedOidcProvider, startOidcProvider } from '../../support/oidc_provider.js';
import { configFor, engineFor, isOAuthErrorWith, loopbackFetch, runFlow } from './flow_helpers.js';

describe('engine against oidc-provider: authorization code flows', () => {
  let op: StartedOidcProvider;
  before(async () => {
    op = await startOidcProvider();
  });
  after(() => op.close());

  for (const kind of ['basic', 'post', 'public'] as const) {
    it(`when the ${kind} client completes the flow, then it gets tokens and the account from userinfo`, async () => {
      const engine = engineFor();
      const done = await runFlow(engine, op, configFor(op, op.clients[kind]), { login: `user-${kind}` });
      assert.equal(done.account.sub, `user-${kind}`);
      assert.equal(done.account.label, `user-${kind}`);
      assert.equal(done.account.profile.email, `user-${kind}@example.test`);
      assert.equal(done.tokens.token_type, 'bearer');
      assert.ok(done.tokens.access_token && done.tokens.refresh_token && done.tokens.id_token);
      assert.ok(done.tokens.expires_at && done.tokens.expires_at > Date.now());
    });
  }

  it('when the clock is injected, then expires_at is now() + expires_in', async () => {
    const fixedNow = 1_700_000_000_000;
    const engine = engineFor({ now: () => fixedNow });
    const done = await runFlow(engine, op, configFor(op, op.clients.basic));
    assert.equal(done.tokens.obtained_at, fixedNow);
    assert.equal(done.tokens.expires_at, fixedNow + 3600 * 1000);
  });

  it('when the authorization URL is built, then it carries PKCE S256, the nonce, the exact redirect_uri and the state', async () => {
    const url = new URL(
      await engineFor().authorizationUrl(configFor(op, op.clients.basic), {
        state: 'state-as-given',
        redirect_uri: 'http://127.0.0.1:9/callback?x=1',
        code_verifier: 'v'.repeat(43),
        nonce: 'n-1',
      }),
    );
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('code_challenge'), createHash('sha256').update('v'.repeat(43)).digest('base64url'));
    assert.equal(url.searchParams.get('redirect_uri'), 'http://127.0.0.1:9/callback?x=1');
    assert.equal(url.searchParams.get('state'), 'state-as-given');
    assert.equal(url.searchParams.get('nonce'), 'n-1');
    assert.equal(url.searchParams.get('scope'), 'openid profile email offline_access');
  });

  it('when the iss parameter is tampered with, then complete() fails with security and exchanges nothing', async () => {
    op.resetCounters();
    await assert.rejects(
      runFlow(engineFor(), op, configFor(op, op.clients.basic), { tamper: (p) => ({ ...p, iss: 'http://127.0.0.1:1' }) }),
      isOAuthErrorWith('security'),
    );
    assert.equal(op.counters.code, 0);
  });

  it('when the iss parameter is missing although advertised, then complete() fails with security', async () => {
    await assert.rejects(runFlow(engineFor(), op, configFor(op, op.clients.basic), { tamper: ({ iss: _iss, ...rest }) => rest }), isOAuthErrorWith('security'));
  });

  it('when the state differs from the expected one, then complete() fails with security', async () => {
    await assert.rejects(runFlow(engineFor(), op, configFor(op, op.clients.basic), { expect: { state: 'another-state' } }), isOAuthErrorWith('security'));
  });

  it('when the nonce in the id_token differs from the expected one, then complete() fails with security', async () => {
    await assert.rejects(runFlow(engineFor(), op, configFor(op, op.clients.basic), { expect: { nonce: 'not-the-nonce' } }), isOAuthErrorWith('security'));
  });

  it('when the code_verifier is wrong, then the provider refuses the code: invalid_grant, and no secret in the error', async () => {
    const wrong = 'w'.repeat(43);
    await assert.rejects(
      runFlow(engineFor(), op, configFor(op, op.clients.public), { expect: { code_verifier: wrong } }),
      isOAuthErrorWith('invalid_grant', [wrong]),
    );
  });

  it('when the id_token signature does not verify against the JWKS, then complete() fails with security', async () => {
    const breakSignature: typeof fetch = async (input, init) => {
      const response = await loopbackFetch(input, init);
      if (!String(input).endsWith('/token')) return response;
      const body = (await response.json()) as { id_token: string };
      body.id_token = `${body.id_token.slice(0, -6)}AAAAAA`;
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    await assert.rejects(runFlow(engineFor({ fetch: breakSignature }), op, configFor(op, op.clients.basic)), isOAuthErrorWith('security'));
  });

  it('when the user refuses at the consent screen, then complete() fails with access_denied', async () => {
    const engine = engineFor();
    const config = configFor(op, op.clients.basic);
    const url = await engine.authorizationUrl(config, { state: 's1', redirect_uri: 'http://127.0.0.1:9/callback', code_verifier: 'v'.repeat(43), nonce: 'n' });
    const params = await op.authorize(url, { deny: true });
    await assert.rejects(
      engine.complete(config, { params, redirect_uri: 'http://127.0.0.1:9/callback', expected_state: 's1', code_verifier: 'v'.repeat(43), nonce: 'n' }),
      isOAuthErrorWith('access_denied'),
    );
  });

  it('when the client secret is wrong, then complete() fails with invalid_client and does not show the secret', async () => {
    const config = configFor(op, op.clients.post, { client_secret: 'wrong-secret-value-123' });
    await assert.rejects(runFlow(engineFor(), op, config), isOAuthErrorWith('invalid_client', ['wrong-secret-value-123']));
  });
});
