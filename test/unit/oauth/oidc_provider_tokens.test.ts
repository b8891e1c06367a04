import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { singleFlight } from '../../../packages/engine/src/single_flight.js';
import { getFreshToken } from '../../../packages/engine/src/token_manager.js';
import type { TokenSet } from '../../../packages/engine/src/types.js';
import { type StartedOidcProvider, startOidcProvider } from '../../support/oidc_provider.js';
import { REDIRECT_URI, configFor, engineFor, isOAuthErrorWith, loopbackFetch, runFlow } from './flow_helpers.js';

describe('engine against oidc-provider: tokens, discovery, registration', () => {
  let op: StartedOidcProvider;
  before(async () => {
    op = await startOidcProvider();
  });
  after(() => op.close());

  it('when a token is refreshed, then the refresh token rotates and the old one is refused afterwards', async () => {
    const engine = engineFor();
    const config = configFor(op, op.clients.basic);
    const { tokens } = await runFlow(engine, op, config);
    const refreshed = await engine.refresh(config, tokens);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
    assert.equal((await engine.account(config, refreshed)).sub, 'alice');
    await assert.rejects(engine.refresh(config, tokens), isOAuthErrorWith('invalid_grant', [tokens.refresh_token, tokens.access_token]));
  });

  it('when tokens are revoked, then both requests succeed and userinfo refuses the access token', async () => {
    const engine = engineFor();
    const config = configFor(op, op.clients.post);
    const { tokens } = await runFlow(engine, op, config);
    op.resetCounters();
    assert.deepEqual(await engine.revoke(config, tokens), { supported: true, revoked: true });
    assert.equal(op.counters.revocation, 2);
    await assert.rejects(engine.account(config, tokens), isOAuthErrorWith('invalid_grant', [tokens.access_token]));
    await assert.rejects(engine.refresh(config, tokens), isOAuthErrorWith('invalid_grant'));
  });

  it('when the provider is resolved again within the TTL, then no second discovery request is made', async () => {
    let now = 1_000_000;
    const engine = engineFor({ now: () => now, discoveryTtlMs: 60_000 });
    const config = configFor(op, op.clients.basic);
    op.resetCounters();
    await engine.resolve(config);
    await engine.authorizationUrl(config, { state: 's', redirect_uri: REDIRECT_URI, code_verifier: 'v'.repeat(43), nonce: 'n' });
    assert.equal(op.counters.discovery, 1);
    now += 60_001;
    await engine.resolve(config);
    assert.equal(op.counters.discovery, 2);
  });

  it('when many resolves start at once, then they share one discovery request', async () => {
    const engine = engineFor();
    op.resetCounters();
    const resolved = await Promise.all(Array.from({ length: 20 }, () => engine.resolve(configFor(op, op.clients.basic))));
    assert.equal(op.counters.discovery, 1);
    assert.ok(resolved.every((r) => r.issuer === op.issuer && r.oidc && r.iss_parameter_supported));
  });

  it('when 100 callers ask for a fresh token on one expired token, then exactly one refresh reaches the provider', async () => {
    const engine = engineFor();
    const config = configFor(op, op.clients.basic);
    const { tokens } = await runFlow(engine, op, config);
    let stored: TokenSet = { ...tokens, expires_at: Date.now() - 1000 };
    op.resetCounters();
    const flights = singleFlight();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        getFreshToken({
          key: 'alice:op',
          load: async () => stored,
          save: async (next) => {
            stored = next;
          },
          refresh: (current) => engine.refresh(config, current),
          now: Date.now,
          marginMs: 60_000,
          flights,
        }),
      ),
    );
    assert.equal(op.counters.refresh, 1);
    assert.ok(results.every((r) => r.status === 'fulfilled' && r.value.access_token === stored.access_token));
    assert.notEqual(stored.access_token, tokens.access_token);
  });

  it('when a client registers dynamically, then a full flow works with the new credentials', async () => {
    const engine = engineFor();
    const base = configFor(op, op.clients.basic);
    const registered = await engine.register(base, {
      redirect_uris: [REDIRECT_URI],
      client_name: 'oauth2-connect test',
      token_endpoint_auth_method: 'client_secret_post',
    });
    assert.ok(registered.client_id && registered.client_secret);
    assert.equal(registered.token_endpoint_auth_method, 'client_secret_post');
    const config = {
      ...base,
      client_id: registered.client_id,
      client_secret: registered.client_secret,
      token_endpoint_auth_method: registered.token_endpoint_auth_method,
    };
    const done = await runFlow(engine, op, config);
    assert.equal(done.account.sub, 'alice');
  });

  it('when a public client registers dynamically, then it gets no secret', async () => {
    const registered = await engineFor().register(configFor(op, op.clients.basic), {
      redirect_uris: [REDIRECT_URI],
      client_name: 'public test',
      token_endpoint_auth_method: 'none',
    });
    assert.equal(registered.client_secret, undefined);
    assert.equal(registered.token_endpoint_auth_method, 'none');
  });

  it('when the provider is tested, then every check passes', async () => {
    const checks = await engineFor().check(configFor(op, op.clients.basic));
    assert.deepEqual(
      checks.filter((c) => !c.ok),
      [],
    );
    assert.deepEqual(
      checks.map((c) => c.name),
      ['metadata', 'issuer', 'endpoints', 'pkce', 'auth_method', 'scopes', 'code_flow', 'iss', 'openid'],
    );
  });

  it('when the configured issuer differs from the one in the metadata, then resolve fails and the test reports it', async () => {
    const config = configFor(op, op.clients.basic, { issuer: `${op.issuer}/` + 'other' });
    await assert.rejects(engineFor().resolve(config), isOAuthErrorWith('config'));
    const checks = await engineFor().check({ ...config, issuer: op.issuer.replace('127.0.0.1', 'localhost') });
    assert.deepEqual(
      checks.map((c) => [c.name, c.ok]),
      [
        ['metadata', true],
        ['issuer', false],
      ],
    );
  });
});

describe('engine against oidc-provider: pushed authorization requests', () => {
  let op: StartedOidcProvider;
  before(async () => {
    op = await startOidcProvider({ requirePushedAuthorizationRequests: true });
  });
  after(() => op.close());

  it('when the provider requires PAR, then the authorization URL carries only a request_uri and the flow works', async () => {
    const engine = engineFor();
    const config = configFor(op, op.clients.basic);
    assert.equal((await engine.resolve(config)).par_required, true);
    const done = await runFlow(engine, op, config);
    assert.equal(op.counters.par, 1);
    assert.equal(done.account.sub, 'alice');
  });
});

describe('engine against oidc-provider: token responses without scope', () => {
  let op: StartedOidcProvider;
  before(async () => {
    op = await startOidcProvider({ omitTokenScope: true });
  });
  after(() => op.close());

  /** loopbackFetch that notes, for each token response, whether it named a scope. */
  const watchingTokenAnswers = (named: boolean[]): typeof fetch => {
    return async (input, init) => {
      const response = await loopbackFetch(input, init);
      if (response.url.endsWith('/token')) named.push('scope' in ((await response.clone().json()) as object));
      return response;
    };
  };

  it('when the code exchange names no scope, then the requested scope is stored; a refresh naming none keeps it, whatever the settings say by then', async () => {
    const named: boolean[] = [];
    const engine = engineFor({ fetch: watchingTokenAnswers(named) });
    const config = configFor(op, op.clients.basic);
    const { tokens } = await runFlow(engine, op, config);
    assert.equal(tokens.scope, 'openid profile email offline_access', 'the scope the authorization request asked for');
    const narrowed = { ...config, scopes: ['openid'] };
    const refreshed = await engine.refresh(narrowed, tokens);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.scope, 'openid profile email offline_access', 'the scope granted before, not the edited settings');
    assert.deepEqual(named, [false, false], 'neither token response named a scope');
  });
});
