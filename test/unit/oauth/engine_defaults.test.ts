import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createOAuthEngine, OAuthError, provider, ProviderConfigError, type ProviderConfig } from '../../../packages/engine/src/index.js';
import { type StartedOidcProvider, startOidcProvider } from '../../support/oidc_provider.js';
import { REDIRECT_URI } from './flow_helpers.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A rejection that is a ProviderConfigError naming `option`, readable by a developer, with no TypeError text. */
function configErrorNaming(option: string) {
  return (err: unknown) => {
    assert.ok(err instanceof ProviderConfigError, `expected ProviderConfigError, got ${String(err)}`);
    assert.ok(err instanceof OAuthError && err.code === 'config');
    assert.equal(err.option, option);
    assert.match(err.message, new RegExp(`^Invalid provider configuration: ${option.replace('.', '\\.')} must be `));
    assert.doesNotMatch(`${err.message} ${err.adminDetail}`, /Cannot read properties|undefined is not/);
    return true;
  };
}

describe('the engine in a few lines: defaults, provider() and authorize()', () => {
  let op: StartedOidcProvider;
  before(async () => {
    op = await startOidcProvider();
  });
  after(() => op.close());

  it('when provider() gets a preset and a client id, then the preset fills id, name, scopes and client authentication', () => {
    const github = provider({ preset: 'github', client_id: 'c', client_secret: 's' });
    assert.deepEqual(
      { id: github.id, name: github.display_name, scopes: github.scopes, auth: github.token_endpoint_auth_method },
      { id: 'github', name: 'GitHub', scopes: ['read:user'], auth: 'client_secret_post' },
    );
    assert.equal(provider({ preset: 'gitlab', client_id: 'c' }).token_endpoint_auth_method, 'none', 'no secret: a public client');
    assert.deepEqual(provider({ preset: 'google', client_id: 'c', client_secret: 's', scopes: ['openid'] }).scopes, ['openid']);
  });

  it('when a configuration misses scopes or has a bad option, then the error names the option instead of failing inside an operation', async () => {
    const engine = createOAuthEngine({ allowPrivateNetwork: true });
    const good = provider({ preset: 'oidc', issuer: op.issuer, client_id: 'c' });
    const { scopes: _dropped, ...noScopes } = good;
    await assert.rejects(engine.resolve(noScopes as ProviderConfig), configErrorNaming('scopes'));
    await assert.rejects(engine.authorize(noScopes as ProviderConfig, { redirect_uri: REDIRECT_URI }), configErrorNaming('scopes'));
    await assert.rejects(engine.resolve({ ...good, preset: 'okta' } as unknown as ProviderConfig), configErrorNaming('preset'));
    await assert.rejects(
      engine.resolve({ ...good, endpoints: { token_endpoint: 42 } } as unknown as ProviderConfig),
      configErrorNaming('endpoints.token_endpoint'),
    );
    const checks = await engine.check(noScopes as ProviderConfig);
    assert.match(checks[0]?.detail ?? '', /scopes must be an array of strings/);
    assert.throws(() => provider({ preset: 'oidc', client_id: '' }), configErrorNaming('client_id'));
    // Before dynamic registration there is no client id: discovery works, acting as the client does not.
    await engine.resolve({ ...good, client_id: '' });
    await assert.rejects(engine.authorize({ ...good, client_id: '' }, { redirect_uri: 'http://127.0.0.1/cb' }), configErrorNaming('client_id'));
    assert.throws(() => provider({ preset: 'oidc', client_id: 'c', id: 'Not An Id' }), configErrorNaming('id'));
  });

  it('when a bad option value is secret, then the error says what kind it was and not its value', () => {
    const err = (() => {
      try {
        provider({ preset: 'oidc', client_id: 'c', scopes: 'my-secret-scope-string' as unknown as string[] });
      } catch (e) {
        return e as Error;
      }
      throw new Error('provider() accepted a string as scopes');
    })();
    assert.match(err.message, /got a string/);
    assert.ok(!err.message.includes('my-secret-scope-string'));
  });

  it('when an engine option is not a valid duration, then createOAuthEngine names it; a discovery cache of 0 means no reuse', () => {
    assert.throws(() => createOAuthEngine({ httpTimeoutMs: 0 }), /the option httpTimeoutMs must be a number of milliseconds, at least 1/);
    assert.throws(() => createOAuthEngine({ revocationTimeoutMs: -5 }), /the option revocationTimeoutMs must be a number of milliseconds, at least 1/);
    assert.throws(() => createOAuthEngine({ discoveryTtlMs: Number.NaN }), /the option discoveryTtlMs must be a number of milliseconds, at least 0/);
    assert.doesNotThrow(() => createOAuthEngine({ discoveryTtlMs: 0 }));
  });

  it('when authorize() is asked with only a redirect URI, then it makes state, PKCE verifier and nonce, and complete() accepts them (global fetch, Date.now)', async () => {
    const engine = createOAuthEngine({ allowPrivateNetwork: true });
    const { client_id, client_secret } = op.clients.basic;
    const config = provider({ preset: 'oidc', issuer: op.issuer, client_id, ...(client_secret && { client_secret }) });
    const started = await engine.authorize(config, { redirect_uri: REDIRECT_URI });
    assert.match(started.code_verifier, VERIFIER);
    assert.ok(started.state.length >= 22 && started.nonce && started.nonce.length >= 22);
    const url = new URL(started.url);
    assert.equal(url.searchParams.get('state'), started.state);
    assert.equal(url.searchParams.get('nonce'), started.nonce);
    assert.equal(url.searchParams.get('code_challenge'), createHash('sha256').update(started.code_verifier).digest('base64url'));
    const second = await engine.authorize(config, { redirect_uri: REDIRECT_URI });
    assert.notEqual(second.state, started.state, 'a fresh state each time');
    assert.notEqual(second.code_verifier, started.code_verifier, 'a fresh verifier each time');

    const before = Date.now();
    const params = await op.authorize(started.url, { login: 'dana' });
    const done = await engine.complete(config, {
      params,
      redirect_uri: REDIRECT_URI,
      expected_state: started.state,
      code_verifier: started.code_verifier,
      ...(started.nonce && { nonce: started.nonce }),
    });
    assert.equal(done.account.sub, 'dana');
    assert.ok(done.tokens.obtained_at >= before && done.tokens.obtained_at <= Date.now(), 'the clock is Date.now');
  });

  it('when the provider is plain OAuth 2.0, then authorize() makes no nonce', async () => {
    const engine = createOAuthEngine({ allowPrivateNetwork: true });
    const config = provider({ preset: 'oidc', issuer: op.issuer, client_id: op.clients.public.client_id, scopes: ['profile'] });
    const started = await engine.authorize(config, { redirect_uri: REDIRECT_URI });
    assert.equal(started.nonce, undefined);
    assert.equal(new URL(started.url).searchParams.has('nonce'), false);
  });
});
