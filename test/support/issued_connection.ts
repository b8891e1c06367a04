/**
 * A connection row as a completed connect stores it, with tokens the test
 * OpenID provider really issued (its login and consent driven with fetch, the
 * code exchanged by the project's engine): for tests and benches that need a
 * connected user without the browser flow, whose whoami then reaches the
 * provider's userinfo with a token it accepts.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectionRow } from '../../src/core/ports.js';
import { deriveFlowSecrets } from '../../packages/engine/src/crypto.js';
import { createOAuthEngine } from '../../packages/engine/src/engine.js';
import { providerOrigin } from '../../packages/engine/src/provider_origin.js';
import type { ProviderConfig } from '../../packages/engine/src/types.js';
import type { StartedOidcProvider } from './oidc_provider.js';

/** The redirect URI the test provider's clients accept by default. */
export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** The provider as the engine sees it, on the test provider's client_secret_post client. */
export function testOidcConfig(op: StartedOidcProvider, id = 'test-oidc'): ProviderConfig {
  const { client_id, client_secret } = op.clients.post;
  return {
    id,
    display_name: 'Test OIDC',
    preset: 'oidc',
    issuer: op.issuer,
    client_id,
    ...(client_secret !== undefined && { client_secret }),
    token_endpoint_auth_method: 'client_secret_post',
    scopes: ['openid', 'profile', 'email'],
  };
}

/** Signs in at the provider as `login` and returns what a connect of `userId` would store. */
export async function issuedConnection(op: StartedOidcProvider, config: ProviderConfig, userId: string, login: string): Promise<ConnectionRow> {
  const engine = createOAuthEngine({ fetch, now: Date.now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true });
  const state = randomBytes(16).toString('base64url');
  const { code_verifier, nonce } = deriveFlowSecrets(randomBytes(32), state);
  const url = await engine.authorizationUrl(config, { state, redirect_uri: TEST_REDIRECT_URI, code_verifier, nonce });
  const params = await op.authorize(url, { login });
  const done = await engine.complete(config, { params, redirect_uri: TEST_REDIRECT_URI, expected_state: state, code_verifier, nonce });
  return {
    user_id: userId,
    provider_id: config.id,
    connection: {
      label: done.account.label,
      sub: done.account.sub,
      since: Date.now(),
      ...(done.tokens.expires_at !== undefined && { expires_at: done.tokens.expires_at }),
    },
    tokens: done.tokens,
    origin: providerOrigin(config),
  };
}
