/**
 * Table-driven: every preset against the same token endpoint answers, on refresh().
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import type { OAuthErrorCode, TokenSet } from '../../../packages/engine/src/types.js';
import { isOAuthErrorWith } from './flow_helpers.js';
import { CLIENT_SECRET, FIXTURES } from './preset_fixtures.js';
import { type StubAnswer, html, json, stubFetch } from './stub_fetch.js';

const NOW = 1_800_000_000_000;
const OLD: TokenSet = {
  access_token: 'old-access-token-123',
  refresh_token: 'old-refresh-token-456',
  token_type: 'bearer',
  obtained_at: NOW - 1,
  expires_at: NOW - 1,
};

interface Scenario {
  when: string;
  answer: () => StubAnswer;
  /** The error code expected, per preset where it differs. */
  fails?: OAuthErrorCode | ((preset: string) => OAuthErrorCode);
}

const SCENARIOS: Scenario[] = [
  {
    when: 'the token endpoint answers a rotated token',
    answer: () => json(200, { access_token: 'new-access', token_type: 'Bearer', expires_in: 7200, refresh_token: 'new-refresh', scope: 'read' }),
  },
  {
    when: 'the token endpoint answers an RFC 6749 invalid_grant error body',
    answer: () => json(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid.' }),
    fails: 'invalid_grant',
  },
  {
    when: 'the token endpoint answers invalid_client with 401',
    answer: () => json(401, { error: 'invalid_client' }),
    fails: 'invalid_client',
  },
  {
    when: 'the token endpoint answers 200 with an error body (GitHub style)',
    answer: () => json(200, { error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.' }),
    fails: (preset) => (preset === 'github' ? 'invalid_grant' : 'provider_error'),
  },
  { when: 'the token endpoint answers a non-JSON body', answer: () => html(200, 'access_token=x&scope=y'), fails: 'provider_error' },
  { when: 'the token endpoint answers a 503 HTML page', answer: () => html(503), fails: 'provider_unavailable' },
  { when: 'the token endpoint answers server_error', answer: () => json(400, { error: 'temporarily_unavailable' }), fails: 'provider_unavailable' },
  { when: 'the network fails', answer: () => 'network-failure', fails: 'provider_unavailable' },
  { when: 'the token endpoint does not answer in time', answer: () => 'hang', fails: 'provider_unavailable' },
];

for (const fixture of FIXTURES) {
  describe(`${fixture.name} preset, refresh()`, () => {
    for (const scenario of SCENARIOS) {
      const expected = typeof scenario.fails === 'function' ? scenario.fails(fixture.name) : scenario.fails;
      it(`when ${scenario.when}, then ${expected ? `it fails with ${expected}` : 'the new tokens are returned'}`, async () => {
        const stub = stubFetch({ ...fixture.routes, [fixture.tokenRoute]: scenario.answer() });
        const engine = createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 50, discoveryTtlMs: 60_000 });
        const refreshing = engine.refresh(fixture.config, OLD);
        if (expected) {
          await assert.rejects(refreshing, isOAuthErrorWith(expected, [OLD.refresh_token, OLD.access_token, CLIENT_SECRET]));
        } else {
          assert.deepEqual(await refreshing, {
            access_token: 'new-access',
            token_type: 'bearer',
            refresh_token: 'new-refresh',
            scope: 'read',
            obtained_at: NOW,
            expires_at: NOW + 7_200_000,
          });
        }
        const [request] = stub.to(fixture.tokenRoute);
        assert.ok(request, 'the token endpoint was called');
        assert.equal(new URLSearchParams(request.body).get('grant_type'), 'refresh_token');
        assert.match(request.headers.get('accept') ?? '', /application\/json/);
      });
    }

    it('when the answer has no new refresh token, then the old one is kept', async () => {
      const stub = stubFetch({ ...fixture.routes, [fixture.tokenRoute]: json(200, { access_token: 'new-access', token_type: 'bearer', expires_in: 60 }) });
      const engine = createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 1000, discoveryTtlMs: 60_000 });
      const refreshed = await engine.refresh(fixture.config, OLD);
      assert.equal(refreshed.refresh_token, OLD.refresh_token);
      assert.equal(refreshed.expires_at, NOW + 60_000);
    });

    it('when the stored tokens have no refresh token, then refresh() fails with invalid_grant without calling the provider', async () => {
      const stub = stubFetch(fixture.routes);
      const engine = createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 1000, discoveryTtlMs: 60_000 });
      const { refresh_token: _none, ...withoutRefresh } = OLD;
      await assert.rejects(engine.refresh(fixture.config, withoutRefresh), isOAuthErrorWith('invalid_grant'));
      assert.equal(stub.to(fixture.tokenRoute).length, 0);
    });
  });
}

describe('client authentication at the token endpoint', () => {
  const fixture = FIXTURES.find((f) => f.name === 'oauth2')!;
  const answer = () => json(200, { access_token: 'a', token_type: 'bearer' });

  it('when the method is client_secret_post, then the secret is in the body and there is no Authorization header', async () => {
    const stub = stubFetch({ [fixture.tokenRoute]: answer() });
    await createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 1000, discoveryTtlMs: 1 }).refresh(fixture.config, OLD);
    const body = new URLSearchParams(stub.requests[0]!.body);
    assert.equal(body.get('client_id'), 'oauth2-client');
    assert.equal(body.get('client_secret'), CLIENT_SECRET);
    assert.equal(stub.requests[0]!.headers.get('authorization'), null);
  });

  it('when the method is client_secret_basic, then the credentials are in the Authorization header only', async () => {
    const stub = stubFetch({ [fixture.tokenRoute]: answer() });
    const config = { ...fixture.config, token_endpoint_auth_method: 'client_secret_basic' as const };
    await createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 1000, discoveryTtlMs: 1 }).refresh(config, OLD);
    assert.match(stub.requests[0]!.headers.get('authorization') ?? '', /^Basic /);
    assert.equal(new URLSearchParams(stub.requests[0]!.body).get('client_secret'), null);
  });

  it('when the method is none, then only client_id is sent', async () => {
    const stub = stubFetch({ [fixture.tokenRoute]: answer() });
    const { client_secret: _s, ...publicConfig } = { ...fixture.config, token_endpoint_auth_method: 'none' as const };
    await createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 1000, discoveryTtlMs: 1 }).refresh(publicConfig, OLD);
    const body = new URLSearchParams(stub.requests[0]!.body);
    assert.equal(body.get('client_id'), 'oauth2-client');
    assert.equal(body.get('client_secret'), null);
    assert.equal(stub.requests[0]!.headers.get('authorization'), null);
  });

  it('when a confidential method has no secret, then it fails with config before any request', async () => {
    const stub = stubFetch({ [fixture.tokenRoute]: answer() });
    const { client_secret: _s, ...noSecret } = fixture.config;
    await assert.rejects(
      createOAuthEngine({ fetch: stub.fetch, now: () => NOW, httpTimeoutMs: 1000, discoveryTtlMs: 1 }).refresh(noSecret, OLD),
      isOAuthErrorWith('config'),
    );
    assert.equal(stub.requests.length, 0);
  });
});
