/** Shared steps for the tests that run the engine against the in-process oidc-provider. */
import { randomBytes } from 'node:crypto';
import { deriveFlowSecrets } from '../../../packages/engine/src/crypto.js';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import type { CompletedAuthorization, OAuthEngine, ProviderConfig } from '../../../packages/engine/src/types.js';
import type { StartedOidcProvider, TestClient } from '../../support/oidc_provider.js';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const FLOW_KEY = randomBytes(32);

/** fetch that only reaches 127.0.0.1 and localhost, so a test can never touch the real network. */
export const loopbackFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`test blocked a request to ${url.origin}`);
  return fetch(input, init);
};

export function engineFor(options: { fetch?: typeof fetch; now?: () => number; discoveryTtlMs?: number } = {}): OAuthEngine {
  return createOAuthEngine({
    fetch: options.fetch ?? loopbackFetch,
    now: options.now ?? Date.now,
    httpTimeoutMs: 5000,
    discoveryTtlMs: options.discoveryTtlMs ?? 60_000,
    // The test provider listens on 127.0.0.1.
    allowPrivateNetwork: true,
  });
}

export function configFor(op: StartedOidcProvider, client: TestClient, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  const config: ProviderConfig = {
    id: 'op',
    display_name: 'Test OP',
    preset: 'oidc',
    issuer: op.issuer,
    client_id: client.client_id,
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
  };
  if (client.client_secret) config.client_secret = client.client_secret;
  return { ...config, ...overrides };
}

export interface FlowOptions {
  /** Changes the redirect's parameters before complete() sees them. */
  tamper?: (params: Record<string, string>) => Record<string, string>;
  /** Changes what complete() is told to expect. */
  expect?: { nonce?: string; state?: string; code_verifier?: string };
  login?: string;
}

/** authorize URL → provider login and consent → complete(). */
export async function runFlow(
  engine: OAuthEngine,
  op: StartedOidcProvider,
  config: ProviderConfig,
  options: FlowOptions = {},
): Promise<CompletedAuthorization> {
  const state = randomBytes(16).toString('base64url');
  const { code_verifier, nonce } = deriveFlowSecrets(FLOW_KEY, state);
  const url = await engine.authorizationUrl(config, { state, redirect_uri: REDIRECT_URI, code_verifier, nonce });
  const returned = await op.authorize(url, options.login ? { login: options.login } : {});
  const params = options.tamper ? options.tamper(returned) : returned;
  return engine.complete(config, {
    params,
    redirect_uri: REDIRECT_URI,
    expected_state: options.expect?.state ?? state,
    code_verifier: options.expect?.code_verifier ?? code_verifier,
    nonce: options.expect?.nonce ?? nonce,
  });
}

/** Asserts an OAuthError with `code` whose texts contain none of `secrets`. */
export function isOAuthErrorWith(code: string, secrets: Array<string | undefined> = []) {
  return (err: unknown): boolean => {
    const e = err as { name?: string; code?: string; userMessage?: string; adminDetail?: string; message?: string };
    if (e.name !== 'OAuthError' || e.code !== code) {
      throw new Error(`expected OAuthError ${code}, got ${e.name} ${e.code}: ${e.message} / ${e.adminDetail}`);
    }
    const texts = `${e.message} ${e.userMessage} ${e.adminDetail ?? ''}`;
    for (const secret of secrets) if (secret && texts.includes(secret)) throw new Error(`error text leaks a secret: ${texts}`);
    return true;
  };
}
