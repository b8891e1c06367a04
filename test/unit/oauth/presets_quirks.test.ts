/**
 * The preset registry, and what is particular to GitLab, Microsoft and the generic presets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPreset, listPresets } from '../../../packages/engine/src/providers/index.js';
import type { PresetName } from '../../../packages/engine/src/types.js';
import { isOAuthErrorWith } from './flow_helpers.js';
import { engineWith, fixture, TOKENS } from './quirk_helpers.js';
import { json } from './stub_fetch.js';

describe('preset registry', () => {
  it('when every preset is listed, then each has a label, defaults and a known auth method', () => {
    const names = listPresets()
      .map((p) => p.name)
      .sort();
    assert.deepEqual(names, ['github', 'gitlab', 'google', 'mattermost', 'microsoft', 'oauth2', 'oidc']);
    for (const preset of listPresets()) {
      assert.ok(preset.label);
      assert.ok(['client_secret_basic', 'client_secret_post', 'none'].includes(preset.defaults.token_endpoint_auth_method));
    }
  });

  it('when a preset needs a field, then it declares it for the admin form', () => {
    assert.deepEqual(
      getPreset('microsoft').fields.map((f) => [f.key, f.required]),
      [['tenant', true]],
    );
    assert.deepEqual(
      getPreset('mattermost').fields.map((f) => [f.key, f.required]),
      [['base_url', true]],
    );
    assert.deepEqual(
      getPreset('oidc').fields.map((f) => [f.key, f.required]),
      [['issuer', true]],
    );
    assert.equal(getPreset('gitlab').fields[0]?.default, 'https://gitlab.com');
  });

  it('when an unknown preset is asked for, then it fails with config', () => {
    assert.throws(() => getPreset('nope' as PresetName), isOAuthErrorWith('config'));
  });

  it('when a required field is missing, then resolve fails with config naming it and makes no request', async () => {
    const { engine, stub } = engineWith({});
    const { base_url: _b, ...noBase } = fixture('mattermost').config;
    await assert.rejects(
      engine.resolve(noBase),
      (err: { code?: string; adminDetail?: string }) => err.code === 'config' && /base_url/.test(err.adminDetail ?? ''),
    );
    await assert.rejects(engine.resolve({ ...fixture('microsoft').config, tenant: 'evil/../x' }), isOAuthErrorWith('config'));
    assert.equal(stub.requests.length, 0);
  });
});

describe('gitlab preset', () => {
  it('when self-hosted, then discovery and revocation use the base URL', async () => {
    const gitlab = fixture('gitlab');
    const { engine, stub } = engineWith({ ...gitlab.routes, [gitlab.revocationRoute!]: new Response(null, { status: 200 }) });
    assert.equal((await engine.resolve(gitlab.config)).issuer, 'https://gitlab.example.com');
    assert.equal((await engine.revoke(gitlab.config, TOKENS)).revoked, true);
    assert.equal(stub.to(gitlab.revocationRoute!).length, 2);
  });
});

describe('microsoft preset', () => {
  const microsoft = fixture('microsoft');
  it('when the tenant is common, then the {tenantid} issuer of the metadata is accepted', async () => {
    const { engine } = engineWith(microsoft.routes);
    assert.equal((await engine.resolve(microsoft.config)).issuer, 'https://login.microsoftonline.com/{tenantid}/v2.0');
    const url = new URL(
      await engine.authorizationUrl(microsoft.config, { state: 's', redirect_uri: 'https://app/cb', code_verifier: 'v'.repeat(43), nonce: 'n' }),
    );
    assert.match(url.searchParams.get('scope') ?? '', /offline_access/);
  });

  it('when a single tenant is configured and the metadata names another issuer, then resolve fails with security', async () => {
    const tenant = '11111111-2222-3333-4444-555555555555';
    const { engine } = engineWith({
      [`GET https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`]: json(200, {
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        authorization_endpoint: 'https://x/a',
        token_endpoint: 'https://x/t',
      }),
    });
    await assert.rejects(engine.resolve({ ...microsoft.config, tenant }), isOAuthErrorWith('security'));
  });

  it('when the multi-tenant metadata names an issuer outside Microsoft login, then resolve fails with security', async () => {
    const { engine } = engineWith({
      'GET https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration': json(200, {
        issuer: 'https://evil.example/{tenantid}/v2.0',
        authorization_endpoint: 'https://x/a',
        token_endpoint: 'https://x/t',
      }),
    });
    await assert.rejects(engine.resolve(microsoft.config), isOAuthErrorWith('security'));
  });
});

describe('oauth2 preset', () => {
  it('when an issuer is given, then RFC 8414 discovery is used', async () => {
    const issuer = 'https://as.example.org/tenant-a';
    const { engine, stub } = engineWith({
      'GET https://as.example.org/.well-known/oauth-authorization-server/tenant-a': json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
      }),
    });
    const resolved = await engine.resolve({ ...fixture('oauth2').config, endpoints: undefined, issuer });
    assert.equal(resolved.endpoints.token_endpoint, `${issuer}/token`);
    assert.equal(resolved.oidc, false);
    assert.equal(stub.requests.length, 1);
  });

  it('when an endpoint is plain http on a public host, then the call is refused with config and nothing is sent', async () => {
    const config = {
      ...fixture('oauth2').config,
      endpoints: { authorization_endpoint: 'http://auth.example.net/a', token_endpoint: 'http://auth.example.net/t' },
    };
    const { engine, stub } = engineWith({});
    await assert.rejects(engine.refresh(config, TOKENS), isOAuthErrorWith('config'));
    assert.equal(stub.requests.length, 0);
  });

  it('when the endpoints are missing, then resolve fails with config', async () => {
    const { engine } = engineWith({});
    await assert.rejects(engine.resolve({ ...fixture('oauth2').config, endpoints: {} }), isOAuthErrorWith('config'));
  });
});

describe('callback errors', () => {
  it('when the error parameter is not an error code, then the user message does not echo it', async () => {
    const { engine } = engineWith({});
    const params = { error: '[click here](https://evil.example)', error_description: 'x', state: 's' };
    await assert.rejects(
      engine.complete(fixture('github').config, { params, redirect_uri: 'https://app/cb', expected_state: 's', code_verifier: 'v'.repeat(43) }),
      (err: { code?: string; userMessage?: string }) => err.code === 'provider_error' && !(err.userMessage ?? '').includes('evil'),
    );
  });
});
