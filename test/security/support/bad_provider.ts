/**
 * A small OpenID provider that misbehaves on demand: id_tokens with a wrong
 * nonce, audience, issuer, subject or signature, or none; and discovery,
 * token or userinfo endpoints that are down, slow, answer 5xx, malformed
 * JSON or huge tokens. It checks PKCE and rotates refresh tokens like a real
 * one. authorize() answers the redirect's query without a browser.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';

export type IdTokenFault = 'none' | 'wrong_nonce' | 'wrong_aud' | 'wrong_iss' | 'other_key' | 'alg_none' | 'expired' | 'wrong_sub';
export type EndpointFault = 'none' | 'down' | 'slow' | '5xx' | 'malformed' | 'huge';

export interface BadProvider {
  issuer: string;
  client: { client_id: string; client_secret: string };
  faults: { idToken: IdTokenFault; discovery: EndpointFault; token: EndpointFault; userinfo: EndpointFault };
  counters: { discovery: number; token: number; refresh: number; userinfo: number };
  /** The account the next code is issued for. */
  login: string;
  authorize(authorizationUrl: string): Record<string, string>;
  close(): Promise<void>;
}

const b64 = (b: Buffer) => b.toString('base64url');

export async function startBadProvider(slowMs = 3000): Promise<BadProvider> {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const other = await jose.generateKeyPair('RS256');
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirect: string; login: string }>();
  const refreshTokens = new Map<string, string>();
  const accessTokens = new Map<string, string>();
  const server: Server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const p: BadProvider = {
    issuer,
    client: { client_id: 'bad-client', client_secret: b64(randomBytes(24)) },
    faults: { idToken: 'none', discovery: 'none', token: 'none', userinfo: 'none' },
    counters: { discovery: 0, token: 0, refresh: 0, userinfo: 0 },
    login: 'eve',
    authorize(url) {
      const q = new URL(url).searchParams;
      const code = b64(randomBytes(16));
      codes.set(code, { challenge: q.get('code_challenge') ?? '', nonce: q.get('nonce') ?? '', redirect: q.get('redirect_uri') ?? '', login: p.login });
      // The redirect URI's own query (the App's ?provider=<id>) comes back with the code, as from any provider.
      const own = URL.canParse(q.get('redirect_uri') ?? '') ? Object.fromEntries(new URL(q.get('redirect_uri')!).searchParams) : {};
      return { ...own, code, state: q.get('state') ?? '', iss: issuer };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function idToken(sub: string, nonce: string): Promise<string> {
    const f = p.faults.idToken;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: f === 'wrong_iss' ? 'https://evil.example.com' : issuer,
      sub: f === 'wrong_sub' ? `${sub}-other` : sub,
      aud: f === 'wrong_aud' ? 'another-client' : p.client.client_id,
      nonce: f === 'wrong_nonce' ? 'not-the-nonce' : nonce,
      iat: now,
      exp: f === 'expired' ? now - 600 : now + 600,
      preferred_username: sub,
    };
    if (f === 'alg_none') return new jose.UnsecuredJWT(claims).encode();
    return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(f === 'other_key' ? other.privateKey : privateKey);
  }

  /** Applies an endpoint fault; true when the answer was already written (or dropped). */
  async function faulted(fault: EndpointFault, res: ServerResponse): Promise<boolean> {
    if (fault === 'down') return (res.destroy(), true);
    if (fault === 'slow') await new Promise((r) => setTimeout(r, slowMs));
    if (fault === '5xx') return (res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>'), true);
    if (fault === 'malformed') return (res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token": "abc", '), true);
    return false;
  }

  async function token(form: URLSearchParams): Promise<Record<string, unknown> | undefined> {
    const huge = p.faults.token === 'huge' ? 'h'.repeat(9000) : '';
    const issue = async (login: string, nonce: string) => {
      const refresh = b64(randomBytes(24));
      const access = `${b64(randomBytes(24))}${huge}`;
      refreshTokens.set(refresh, login);
      accessTokens.set(access, login);
      return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 3600, id_token: await idToken(login, nonce) };
    };
    if (form.get('grant_type') === 'refresh_token') {
      p.counters.refresh += 1;
      const login = refreshTokens.get(form.get('refresh_token') ?? '');
      refreshTokens.delete(form.get('refresh_token') ?? '');
      return login ? { ...(await issue(login, '')), id_token: undefined } : undefined;
    }
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (!grant || b64(createHash('sha256').update(verifier).digest()) !== grant.challenge || form.get('redirect_uri') !== grant.redirect) return undefined;
    return issue(grant.login, grant.nonce);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/.well-known/openid-configuration') {
      p.counters.discovery += 1;
      if (await faulted(p.faults.discovery, res)) return;
      return void json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
    }
    if (path === '/jwks') return void json(200, { keys: [jwk] });
    if (path === '/token') {
      p.counters.token += 1;
      if (await faulted(p.faults.token, res)) return;
      const answer = await token(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      return void (answer ? json(200, answer) : json(400, { error: 'invalid_grant', error_description: 'grant request is invalid' }));
    }
    if (path === '/userinfo') {
      p.counters.userinfo += 1;
      if (await faulted(p.faults.userinfo, res)) return;
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /i, '');
      const login = accessTokens.get(bearer);
      return void (login ? json(200, { sub: login, preferred_username: login }) : json(401, { error: 'invalid_token' }));
    }
    json(404, { error: 'not_found' });
  }
  return p;
}
