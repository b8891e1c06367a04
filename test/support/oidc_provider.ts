/**
 * A real OpenID provider for tests: `oidc-provider` (OpenID-certified) running
 * in-process on 127.0.0.1, port chosen by the OS.
 *
 *   const op = await startOidcProvider({ redirectUris: ['http://127.0.0.1:9/cb'] });
 *   // configure the engine with issuer op.issuer and one of op.clients
 *   const params = await op.authorize(authorizationUrl);   // {code, state, iss}
 *   op.counters.refresh;                                  // requests seen by the provider
 *   await op.close();
 *
 * Features: discovery (OIDC and RFC 8414 paths), devInteractions (a real browser can
 * sign in with any login and password, then consent), PKCE required for every client,
 * RFC 9207 iss in responses, userinfo, RFC 7009 revocation, open RFC 7591 registration,
 * rotating refresh tokens (offline_access with prompt=consent; a reuse revokes the grant unless
 * refreshReuseGraceSeconds allows it for a while, as Okta and Auth0 can), optional PAR requirement,
 * token responses without scope on request (omitTokenScope).
 * It records the access tokens userinfo saw and every token it issued, and can hold refresh
 * answers back after rotating (to kill a client in the window before it saves the new tokens).
 * `authorize()` drives the same devInteractions forms with fetch and a cookie jar,
 * so unit tests need no browser.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import { createTestAdapter } from './oidc_adapter.js';

export interface TestClient {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

export interface OidcProviderOptions {
  /** Redirect URIs registered for the three built-in clients (default http://127.0.0.1:9/callback). */
  redirectUris?: string[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtlSeconds?: number;
  /** RFC 9126 require_pushed_authorization_requests (default false). */
  requirePushedAuthorizationRequests?: boolean;
  /** How long a rotated refresh token stays usable (see TestAdapterOptions; default 0: a reuse revokes the grant). */
  refreshReuseGraceSeconds?: number;
  /** Token responses leave out scope, as RFC 6749 §5.1 allows when it is the one requested (default false: named). */
  omitTokenScope?: boolean;
}

/** A token the provider issued, in order. */
export interface IssuedTokens {
  grant: 'authorization_code' | 'refresh_token';
  /** The account the tokens are for. */
  account: string;
  access_token: string;
  refresh_token?: string;
}

/** Refresh answers held back after the provider rotated the token (the window in which a client can die before saving). */
export interface RefreshHold {
  /** Refresh answers waiting now. */
  readonly held: number;
  /** Sends every held answer (and stops holding). */
  release(): void;
}

/** Requests the provider received, by kind. `token` counts every token request; `refresh` and `code` split it by grant. */
export interface ProviderCounters {
  discovery: number;
  authorization: number;
  token: number;
  code: number;
  refresh: number;
  userinfo: number;
  revocation: number;
  registration: number;
  jwks: number;
  par: number;
}

export interface AuthorizeOptions {
  /** The account to sign in as (any string; default "alice"). */
  login?: string;
  /** Refuse at the consent screen instead of accepting (default false). */
  deny?: boolean;
}

export interface StartedOidcProvider {
  issuer: string;
  /** Same as issuer: the base URL of the server. */
  url: string;
  clients: { basic: TestClient; post: TestClient; public: TestClient };
  counters: ProviderCounters;
  /** Follows an authorization URL through login and consent; resolves with the redirect's query parameters. */
  authorize(authorizationUrl: string, options?: AuthorizeOptions): Promise<Record<string, string>>;
  resetCounters(): void;
  /** Access tokens seen by userinfo (the bearer of each request), in order. */
  userinfoTokens: string[];
  /** Every token response, in order. */
  issued: IssuedTokens[];
  /** Every refusal of the token endpoint, in order, as `<error>: <why>` (e.g. `invalid_grant: code_verifier does not match code_challenge`). */
  tokenRefusals: string[];
  /** Lifetime of the access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** From now on, each refresh is done (the old refresh token consumed, the new one stored) but its answer waits for release(). */
  holdRefreshAnswers(): RefreshHold;
  /** Revokes every grant, token and session of an account, as the user would in the provider's settings. */
  revokeAccount(accountId: string): number;
  close(): Promise<void>;
}

/** The claims of the test account `id` (what userinfo returns, by scope). */
export function accountClaims(id: string): Record<string, unknown> {
  return { sub: id, email: `${id}@example.test`, email_verified: true, name: `Test ${id}`, preferred_username: id };
}

interface KoaContextLike {
  path: string;
  method: string;
  status: number;
  body?: unknown;
  get(header: string): string;
  oidc?: { params?: Record<string, unknown>; body?: Record<string, unknown>; account?: { accountId: string } };
}

interface OidcProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(middleware: (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>): void;
  on(event: 'grant.error', listener: (ctx: unknown, err: TokenEndpointError) => void): void;
}

/** What oidc-provider throws at the token endpoint: the OAuth error, and in error_detail the check that failed. */
interface TokenEndpointError {
  error?: string;
  error_description?: string;
  error_detail?: string;
}

type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProviderInstance;

// oidc-provider ships no type declarations: load it untyped and describe the little used here.
async function loadProviderClass(): Promise<ProviderConstructor> {
  const moduleName = 'oidc-provider';
  const loaded = (await import(moduleName)) as { default: ProviderConstructor };
  return loaded.default;
}

const zeroCounters = (): ProviderCounters => ({
  discovery: 0,
  authorization: 0,
  token: 0,
  code: 0,
  refresh: 0,
  userinfo: 0,
  revocation: 0,
  registration: 0,
  jwks: 0,
  par: 0,
});

const PATH_COUNTER: Record<string, keyof ProviderCounters> = {
  '/.well-known/openid-configuration': 'discovery',
  '/.well-known/oauth-authorization-server': 'discovery',
  '/auth': 'authorization',
  '/me': 'userinfo',
  '/token/revocation': 'revocation',
  '/reg': 'registration',
  '/jwks': 'jwks',
  '/request': 'par',
};

/** Starts the provider; close() it when done. */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<StartedOidcProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = testClients();
  const redirectUris = options.redirectUris ?? ['http://127.0.0.1:9/callback'];
  const Provider = await loadProviderClass();
  const storage = createTestAdapter({ refreshReuseGraceMs: (options.refreshReuseGraceSeconds ?? 0) * 1000 });
  const ttl = { accessToken: options.accessTokenTtlSeconds ?? 3600 };
  const provider = new Provider(issuer, { ...(await configuration(options, clients, redirectUris, ttl)), adapter: storage.Adapter });
  const counters = zeroCounters();
  const userinfoTokens: string[] = [];
  const issued: IssuedTokens[] = [];
  const tokenRefusals: string[] = [];
  provider.on('grant.error', (_ctx, err) => tokenRefusals.push(`${err.error}: ${err.error_detail ?? err.error_description}`));
  let hold: { held: number; gate: Promise<void>; open: () => void } | undefined;
  provider.use(async (ctx, next) => {
    const counter = PATH_COUNTER[ctx.path];
    if (counter && !(counter === 'authorization' && ctx.method !== 'GET')) counters[counter] += 1;
    if (ctx.path === '/me') userinfoTokens.push(ctx.get('authorization').replace(/^Bearer /i, ''));
    await next();
    if (ctx.path !== '/token') return;
    const grant = countTokenRequest(counters, ctx);
    const body = ctx.body as (Partial<IssuedTokens> & { scope?: string }) | undefined;
    if (ctx.status !== 200 || !body?.access_token || (grant !== 'authorization_code' && grant !== 'refresh_token')) return;
    if (options.omitTokenScope) delete body.scope;
    issued.push({
      grant,
      account: ctx.oidc?.account?.accountId ?? '',
      access_token: body.access_token,
      ...(body.refresh_token && { refresh_token: body.refresh_token }),
    });
    const current = hold;
    if (grant === 'refresh_token' && current) {
      current.held += 1;
      await current.gate;
    }
  });
  handler = provider.callback();
  return {
    issuer,
    url: issuer,
    clients,
    counters,
    userinfoTokens,
    issued,
    tokenRefusals,
    setAccessTokenTtl: (seconds) => void (ttl.accessToken = seconds),
    holdRefreshAnswers() {
      let open = () => {};
      const gate = new Promise<void>((resolve) => (open = resolve));
      const current = { held: 0, gate, open };
      hold = current;
      return {
        get held() {
          return current.held;
        },
        release() {
          if (hold === current) hold = undefined;
          current.open();
        },
      };
    },
    authorize: (url, authorizeOptions) => driveAuthorization(issuer, url, authorizeOptions ?? {}),
    resetCounters: () => Object.assign(counters, zeroCounters()),
    revokeAccount: (accountId) => storage.revokeAccount(accountId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function countTokenRequest(counters: ProviderCounters, ctx: KoaContextLike): unknown {
  counters.token += 1;
  const grantType = ctx.oidc?.params?.grant_type ?? ctx.oidc?.body?.grant_type;
  if (grantType === 'refresh_token') counters.refresh += 1;
  if (grantType === 'authorization_code') counters.code += 1;
  return grantType;
}

function testClients(): StartedOidcProvider['clients'] {
  return {
    basic: { client_id: 'client-basic', client_secret: randomBytes(24).toString('base64url'), token_endpoint_auth_method: 'client_secret_basic' },
    post: { client_id: 'client-post', client_secret: randomBytes(24).toString('base64url'), token_endpoint_auth_method: 'client_secret_post' },
    public: { client_id: 'client-public', token_endpoint_auth_method: 'none' },
  };
}

async function signingKeys(): Promise<{ keys: jose.JWK[] }> {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { keys: [{ ...(await jose.exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' }] };
}

async function configuration(
  options: OidcProviderOptions,
  clients: StartedOidcProvider['clients'],
  redirectUris: string[],
  ttl: { accessToken: number },
): Promise<Record<string, unknown>> {
  return {
    clients: Object.values(clients).map((client) => ({
      ...client,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: await signingKeys(),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => accountClaims(id) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    ttl: {
      // Read at each issue, so a test can shorten or lengthen the tokens issued from then on.
      AccessToken: () => ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 86400,
      Grant: 86400,
      RefreshToken: 86400,
    },
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: options.requirePushedAuthorizationRequests ?? false,
      },
    },
  };
}

/**
 * Walks an authorization URL the way a browser would: redirects (manual, with a
 * cookie jar), the devInteractions login form, then the consent form. Resolves
 * with the query parameters of the redirect that leaves the provider.
 */
async function driveAuthorization(issuer: string, authorizationUrl: string, options: AuthorizeOptions): Promise<Record<string, string>> {
  const jar = new Map<string, string>();
  let request: { url: string; form?: URLSearchParams } = { url: authorizationUrl };
  for (let hop = 0; hop < 20; hop += 1) {
    const response = await fetch(request.url, {
      method: request.form ? 'POST' : 'GET',
      body: request.form,
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, request.url);
      if (!next.href.startsWith(`${issuer}/`)) return Object.fromEntries(next.searchParams);
      request = { url: next.href };
      continue;
    }
    request = await nextForm(request.url, response, options);
  }
  throw new Error('authorize(): too many redirects');
}

/** The form the devInteractions page shows, filled in: login (any password) or consent. */
async function nextForm(pageUrl: string, response: Response, options: AuthorizeOptions): Promise<{ url: string; form?: URLSearchParams }> {
  const html = await response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
  if (response.status !== 200 || !action || !prompt) {
    throw new Error(`authorize(): unexpected page (HTTP ${response.status}): ${html.replace(/<[^>]+>/g, ' ').slice(0, 300)}`);
  }
  const url = new URL(action.replaceAll('&amp;', '&'), pageUrl).href;
  if (prompt === 'login') return { url, form: new URLSearchParams({ prompt, login: options.login ?? 'alice', password: 'any' }) };
  if (options.deny) return { url: `${url}/abort` };
  return { url, form: new URLSearchParams({ prompt }) };
}
