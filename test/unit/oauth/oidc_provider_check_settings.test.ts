/**
 * Against the real oidc-provider: "provider test" reports
 * the saved settings that the provider's metadata contradicts, and says
 * whether the provider sends RFC 9207 iss.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { configFor, engineFor } from './flow_helpers.js';
import type { ProviderCheck } from '../../../packages/engine/src/types.js';

let op: StartedOidcProvider;
const byName = (checks: ProviderCheck[], name: string) => checks.find((c) => c.name === name);

describe('provider test: settings against the metadata', () => {
  before(async () => {
    op = await startOidcProvider();
  });
  after(() => op?.close());

  it('when an OpenID Connect provider is saved without the openid scope, then the scopes check fails', async () => {
    const checks = await engineFor().check(configFor(op, op.clients.basic, { scopes: ['profile', 'email'] }));
    assert.equal(byName(checks, 'scopes')?.ok, false, JSON.stringify(checks));
    assert.match(byName(checks, 'scopes')!.detail, /lack openid/);
  });

  it('when a scope the provider does not list is asked, then the test names it without failing (providers often accept unlisted scopes)', async () => {
    const checks = await engineFor().check(configFor(op, op.clients.basic, { scopes: ['openid', 'email', 'repo:read'] }));
    assert.equal(byName(checks, 'scopes')?.ok, true, JSON.stringify(checks));
    assert.match(byName(checks, 'scopes')!.detail, /Not listed in scopes_supported.*repo:read/);
  });

  it('when the provider sends iss, then the test says so; when it is used as plain OAuth2 without it, then the test says mix-ups rest on the redirect URI', async () => {
    const oidc = await engineFor().check(configFor(op, op.clients.basic));
    assert.match(byName(oidc, 'iss')!.detail, /sends iss/);
    const plain = await engineFor().check(
      configFor(op, op.clients.basic, {
        preset: 'oauth2',
        issuer: undefined,
        scopes: ['profile'],
        endpoints: { authorization_endpoint: `${op.issuer}/auth`, token_endpoint: `${op.issuer}/token` },
      }),
    );
    assert.match(byName(plain, 'iss')!.detail, /sends no iss.*redirect URI/);
  });

  it('when the settings match the metadata, then every check passes', async () => {
    const checks = await engineFor().check(configFor(op, op.clients.basic));
    assert.deepEqual(
      checks.filter((c) => !c.ok),
      [],
    );
    assert.equal(byName(checks, 'code_flow')?.ok, true);
  });
});
