/**
 * A small in-process fake of the Mattermost endpoints the standalone host
 * calls: OAuth2 provider (metadata, /oauth/authorize for the user whose
 * MMAUTHTOKEN cookie the browser carries, /oauth/access_token with PKCE S256
 * and client_secret_post, /api/v4/users/me, logout), and the bot's REST calls
 * (users/{id}, channels/direct, posts, actions/dialogs/open) plus command
 * response hooks. JSON answers use exactly application/json (Client4 parses
 * nothing else).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTriggerSigner, type TriggerSigner } from './trigger_signer.js';

export interface FakeUser {
  id: string;
  username: string;
  roles: string;
  /** When the user was deactivated (ms); absent or 0 while active. */
  delete_at?: number;
}

/** A post the bot made: `to` is the other member of its direct channel; props as sent (buttons with their integration context). */
export interface FakePost {
  id: string;
  channel_id: string;
  message: string;
  to: string;
  props?: Record<string, unknown>;
}

export const mmId = (): string => randomBytes(16).toString('hex').slice(0, 26);

export interface FakeMattermost {
  url: string;
  users: Map<string, FakeUser>;
  client: { id: string; secret: string; callback: string };
  botToken: string;
  botUserId: string;
  posts: FakePost[];
  dialogs: Array<{ trigger_id: string; url: string; dialog: Record<string, unknown> }>;
  hooks: Array<{ path: string; body: unknown }>;
  logouts: number;
  tokensIssued: number;
  /** Every OAuth access token issued to the service (Sign in with Mattermost), for secret scans. */
  accessTokens: string[];
  /** The server's signing key: makes the trigger id of each command, its public half is in the client configuration. */
  signer: TriggerSigner;
  /** How many times the client configuration was read (the service reads the signing key there). */
  clientConfigReads: number;
  /** How many times GET /api/v4/system/ping was asked; it answers 503 while `down`. */
  pings: number;
  down: boolean;
  /** Every request the fake received, as `METHOD /path`, in order. */
  requests: string[];
  addUser(username: string, roles?: string): FakeUser;
  /** Deactivates the user, as a system admin does in the System Console: GET users/{id} then carries delete_at. */
  deactivate(userId: string): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const cookieOf = (req: IncomingMessage, name: string) =>
  (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

export async function startFakeMattermost(callback: string): Promise<FakeMattermost> {
  const codes = new Map<string, { user: string; challenge: string; redirect: string }>();
  const tokens = new Map<string, string>();
  const dmChannels = new Map<string, string>();
  const server = createServer((req, res) => void route(req, res).catch((err: Error) => send(res, 500, { message: err.message })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const botUserId = mmId();
  const fake: FakeMattermost = {
    url,
    users: new Map(),
    client: { id: mmId(), secret: mmId(), callback },
    botToken: mmId(),
    botUserId,
    posts: [],
    dialogs: [],
    hooks: [],
    logouts: 0,
    tokensIssued: 0,
    accessTokens: [],
    signer: createTriggerSigner(),
    clientConfigReads: 0,
    pings: 0,
    down: false,
    requests: [],
    addUser(username, roles = 'system_user') {
      const user = { id: mmId(), username, roles };
      fake.users.set(user.id, user);
      return user;
    },
    deactivate(userId) {
      const user = fake.users.get(userId);
      if (!user) throw new Error(`no user ${userId}`);
      user.delete_at = Date.now();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  fake.users.set(botUserId, { id: botUserId, username: 'oauth2-connect', roles: 'system_user' });

  function authorize(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const user = cookieOf(req, 'MMAUTHTOKEN');
    if (!user || !fake.users.has(user)) return send(res, 401, { message: 'not signed in' });
    if (q.get('client_id') !== fake.client.id || q.get('redirect_uri') !== fake.client.callback)
      return send(res, 400, { message: 'bad client or redirect_uri' });
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return send(res, 400, { message: 'PKCE required' });
    const code = randomBytes(26).toString('hex');
    codes.set(code, { user, challenge: q.get('code_challenge') ?? '', redirect: fake.client.callback });
    const target = new URL(fake.client.callback);
    target.searchParams.set('code', code);
    target.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: target.href }).end();
  }

  function accessToken(res: ServerResponse, form: URLSearchParams): void {
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (form.get('client_id') !== fake.client.id || form.get('client_secret') !== fake.client.secret)
      return send(res, 401, { id: 'api.oauth.get_access_token.credentials.app_error', status_code: 401 });
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (!grant || grant.redirect !== form.get('redirect_uri') || grant.challenge !== challenge)
      return send(res, 400, { id: 'api.oauth.get_access_token.expired_code.app_error', status_code: 400 });
    const token = mmId();
    tokens.set(token, grant.user);
    fake.tokensIssued += 1;
    fake.accessTokens.push(token);
    send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 2592000, scope: '', refresh_token: '', id_token: '' });
  }

  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', url);
    const path = target.pathname;
    fake.requests.push(`${req.method} ${path}`);
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (path === '/.well-known/oauth-authorization-server') {
      return send(res, 200, {
        issuer: url,
        authorization_endpoint: `${url}/oauth/authorize`,
        token_endpoint: `${url}/oauth/access_token`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (path === '/api/v4/system/ping') {
      fake.pings += 1;
      return fake.down ? send(res, 503, { status: 'unhealthy' }) : send(res, 200, { status: 'OK' });
    }
    if (path === '/oauth/authorize') return authorize(req, res, target.searchParams);
    if (path === '/api/v4/config/client' && target.searchParams.get('format') === 'old') {
      fake.clientConfigReads += 1;
      return send(res, 200, { SiteURL: url, AsymmetricSigningPublicKey: fake.signer.publicKeyBase64 });
    }
    if (path === '/oauth/access_token' && req.method === 'POST') return accessToken(res, new URLSearchParams(body));
    if (path.startsWith('/hooks/commands/') && req.method === 'POST') {
      fake.hooks.push({ path, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const token = bearer(req);
    if (path === '/api/v4/users/me') {
      const user = fake.users.get(tokens.get(token) ?? '');
      return user ? send(res, 200, user) : send(res, 401, { message: 'invalid token' });
    }
    if (path === '/api/v4/users/logout' && req.method === 'POST') {
      if (tokens.delete(token)) fake.logouts += 1;
      return send(res, 200, { status: 'OK' });
    }
    if (token !== fake.botToken) return send(res, 401, { message: 'bot token expected', status_code: 401 });
    return botRoute(req, res, path, body);
  }

  function botRoute(req: IncomingMessage, res: ServerResponse, path: string, body: string): void {
    const user = /^\/api\/v4\/users\/([a-z0-9]{26})$/.exec(path);
    if (user && req.method === 'GET') {
      const found = fake.users.get(user[1] ?? '');
      return found ? send(res, 200, { delete_at: 0, ...found }) : send(res, 404, { message: 'not found', status_code: 404 });
    }
    const byName = /^\/api\/v4\/users\/username\/([a-z0-9._-]+)$/.exec(path);
    if (byName && req.method === 'GET') {
      const found = [...fake.users.values()].find((u) => u.username === byName[1]);
      return found ? send(res, 200, { delete_at: 0, ...found }) : send(res, 404, { message: 'not found', status_code: 404 });
    }
    if (path === '/api/v4/channels/direct' && req.method === 'POST') {
      const ids = JSON.parse(body) as string[];
      const other = ids.find((id) => id !== botUserId) ?? '';
      const channel = dmChannels.get(other) ?? mmId();
      dmChannels.set(other, channel);
      return send(res, 201, { id: channel, type: 'D' });
    }
    if (path === '/api/v4/posts' && req.method === 'POST') {
      const post = JSON.parse(body) as { channel_id: string; message: string; props?: Record<string, unknown> };
      const to = [...dmChannels].find(([, c]) => c === post.channel_id)?.[0] ?? '';
      const id = mmId();
      fake.posts.push({ ...post, to, id });
      return send(res, 201, { id, ...post });
    }
    if (path === '/api/v4/actions/dialogs/open' && req.method === 'POST') {
      fake.dialogs.push(JSON.parse(body) as FakeMattermost['dialogs'][number]);
      return send(res, 200, { status: 'OK' });
    }
    send(res, 404, { message: `no route ${path}`, status_code: 404 });
  }
  return fake;
}
