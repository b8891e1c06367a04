/**
 * Against the real oidc-provider: a connection without an
 * account subject is refused, and an OpenID Connect setup (openid scope)
 * without a JWKS is refused instead of quietly becoming plain OAuth.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { configFor, engineFor, isOAuthErrorWith, runFlow } from './flow_helpers.js';
import type { ProviderConfig } from '../../../packages/engine/src/types.js';

let op: StartedOidcProvider;

/** The provider as a plain OAuth2 server with typed endpoints: no discovery, no userinfo, no JWKS. */
function plainOAuth(scopes: string[]): ProviderConfig {
  return configFor(op, op.clients.basic, {
    preset: 'oauth2',
    issuer: undefined,
    endpoints: { authorization_endpoint: `${op.issuer}/auth`, token_endpoint: `${op.issuer}/token` },
    scopes,
  });
}

describe('engine against oidc-provider: subject and JWKS', () => {
  before(async () => {
    op = await startOidcProvider();
  });
  after(() => op?.close());

  it('when the scopes ask for openid but the metadata has no jwks_uri, then resolving (as at save time) is refused with a config error', async () => {
    await assert.rejects(engineFor().resolve(plainOAuth(['openid', 'offline_access'])), (err: unknown) => {
      assert.ok(isOAuthErrorWith('config')(err));
      assert.match((err as { adminDetail?: string }).adminDetail ?? '', /openid.*jwks_uri/);
      return true;
    });
  });

  it('when the account read after the code exchange has no subject, then the connection is refused and nothing is returned', async () => {
    const config = plainOAuth(['profile']);
    await assert.rejects(runFlow(engineFor(), op, config), (err: unknown) => {
      assert.ok(isOAuthErrorWith('provider_error', [op.clients.basic.client_secret])(err));
      assert.match((err as { userMessage: string }).userMessage, /which account/);
      return true;
    });
  });

  it('when the same provider is used with OpenID Connect discovery, then the flow still succeeds with a subject', async () => {
    const done = await runFlow(engineFor(), op, configFor(op, op.clients.basic), { login: 'dora' });
    assert.equal(done.account.sub, 'dora');
  });
});
