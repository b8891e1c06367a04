/**
 * The OAuth engine's own cost per operation, with no network: process.hrtime.bigint
 * around many sequential iterations (each awaited, so an async operation counts
 * its whole latency, WebCrypto's thread-pool hop included), after a warm-up;
 * the median of several batches, in microseconds per operation.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { createJwtVerifier } from '../src/hosts/apps/http/jwt.js';
import { createTokenCipher, deriveFlowSecrets, createOAuthEngine, type ProviderConfig, type TokenSet } from '@oauth2-connect/engine';
import { median } from './load.js';

export interface MicroRow {
  name: string;
  usPerOp: number;
  iterations: number;
}

async function time(name: string, iterations: number, op: () => unknown): Promise<MicroRow> {
  for (let i = 0; i < Math.min(2000, iterations); i += 1) await op();
  const batches: number[] = [];
  for (let b = 0; b < 5; b += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await op();
    batches.push(Number(process.hrtime.bigint() - started) / 1000 / iterations);
  }
  return { name, usPerOp: median(batches), iterations: iterations * 5 };
}

const ISSUER = 'https://sso.example.com';
const DISCOVERY = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/userinfo`,
  jwks_uri: `${ISSUER}/jwks`,
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};

/** Discovery answered locally, once: every measured call uses the cached metadata. */
const discoveryOnly: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.endsWith('/.well-known/openid-configuration')) throw new Error(`unexpected fetch ${url}`);
  return new Response(JSON.stringify(DISCOVERY), { headers: { 'content-type': 'application/json' } });
};

const PROVIDER: ProviderConfig = {
  id: 'corp-sso',
  display_name: 'Corp SSO',
  preset: 'oidc',
  issuer: ISSUER,
  client_id: 'oauth2-connect-client',
  client_secret: 'a-client-secret-a-client-secret',
  token_endpoint_auth_method: 'client_secret_basic',
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  extra_authorize_params: { prompt: 'consent' },
};

/** A typical stored token set: opaque access and refresh tokens and an RS256 id_token. */
const TOKENS: TokenSet = {
  access_token: randomBytes(32).toString('base64url'),
  token_type: 'Bearer',
  refresh_token: randomBytes(32).toString('base64url'),
  id_token: `${randomBytes(60).toString('base64url')}.${randomBytes(300).toString('base64url')}.${randomBytes(256).toString('base64url')}`,
  scope: 'openid profile email offline_access',
  expires_at: Date.now() + 3600_000,
  obtained_at: Date.now(),
};

export async function microBench(iterations = 20_000): Promise<MicroRow[]> {
  const engine = createOAuthEngine({ fetch: discoveryOnly, now: Date.now, httpTimeoutMs: 10_000, discoveryTtlMs: 3600_000 });
  const flowKey = randomBytes(32);
  // Fresh states as the plugin makes them, prepared ahead so only the engine is timed.
  const inputs = Array.from({ length: 1024 }, () => {
    const state = `${randomBytes(15).toString('base64url')}.u7k3mfq9zbdn8xw1ceyr4tjahs`;
    return {
      state,
      redirect_uri: 'https://mm.example.com/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete',
      ...deriveFlowSecrets(flowKey, state),
    };
  });
  let n = 0;
  const authorize = () => engine.authorizationUrl(PROVIDER, inputs[n++ & 1023]!);
  const cipher = createTokenCipher({ keys: [{ id: 'k1', key: randomBytes(32) }], currentKeyId: 'k1' });
  const plaintext = JSON.stringify(TOKENS);
  const binding = { kind: 'token', provider_id: 'github', user_id: 'u7k3mfq9zbdn8xw1ceyr4tjahs', origin: ISSUER } as const;
  const sealed = cipher.seal(plaintext, binding);
  const secret = randomBytes(24).toString('base64url');
  const verify = createJwtVerifier(secret);
  const header = `Bearer ${await new SignJWT({ acting_user_id: 'u7k3mfq9zbdn8xw1ceyr4tjahs' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime('1h').sign(Buffer.from(secret))}`;
  if (!(await authorize()).startsWith(`${ISSUER}/authorize?`)) throw new Error('no authorize URL');
  if (cipher.open(sealed, binding).plaintext !== plaintext) throw new Error('the cipher does not round-trip');
  if (verify(header).actingUserId === undefined) throw new Error('the JWT does not verify');
  return [
    await time('authorize URL (engine.authorizationUrl, cached metadata, PKCE S256 + nonce)', iterations, authorize),
    await time('flow secrets (deriveFlowSecrets: verifier + nonce, 2 HMACs)', iterations, () => deriveFlowSecrets(flowKey, 'state-abc.u7k3mfq9')),
    await time(`encrypt a token set (AES-256-GCM, ${plaintext.length} bytes)`, iterations, () => cipher.seal(plaintext, binding)),
    await time('decrypt a token set', iterations, () => cipher.open(sealed, binding)),
    await time('verify the incoming JWT (createJwtVerifier, HS256)', iterations, () => verify(header)),
  ];
}
