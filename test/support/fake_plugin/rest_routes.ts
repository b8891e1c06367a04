/**
 * The Apps plugin's REST API for Apps (docs/mattermost.md, "The plugin's REST API"): kv, oauth2/app, oauth2/user, with
 * its token rules (App sessions only; oauth2/app needs a system admin acting
 * user, else 401; oauth2/user a non-bot acting user), the 8 KiB limit (500), invalid
 * JSON (400), GET kv answering {} and GET oauth2/user an empty body when unset.
 * Plus the Mattermost REST calls the App makes: users/me (admin checks) and DMs.
 */
import express, { type Request, type Response, type Router } from 'express';
import { PLUGIN } from './call_app.js';
import type { FakeState } from './state.js';

const MAX = 8192;

function appSession(state: FakeState, req: Request, res: Response): { userId: string; isBot: boolean } | undefined {
  const token = req.get('authorization')?.match(/^bearer\s+(\S+)$/i)?.[1];
  const session = token ? state.appTokens.get(token) : undefined;
  if (!session) {
    res.status(401).type('text/plain').send('not an app session');
    return undefined;
  }
  state.appRequests.push({ method: req.method, path: req.path, userId: session.userId, isBot: session.isBot, status: 0 });
  res.on('finish', () => {
    const last = state.appRequests.findLast((r) => r.path === req.path && r.status === 0);
    if (last) last.status = res.statusCode;
  });
  return session;
}

/** Reads the raw body: over 8 KiB is a 500, invalid JSON a 400, as LimitReadAll and json.Valid do. */
function jsonBody(req: Request, res: Response): string | undefined {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (Buffer.byteLength(raw) > MAX) {
    res.status(500).type('text/plain').send('size limit of 8Kb exceeded');
    return undefined;
  }
  try {
    JSON.parse(raw);
  } catch {
    res.status(400).type('text/plain').send('payload is no valid json');
    return undefined;
  }
  return raw;
}

function kvRoutes(state: FakeState, router: Router): void {
  const key = (req: Request, userId: string) => state.kvKey(userId, String(req.params.prefix ?? ''), String(req.params.key));
  for (const path of [`${PLUGIN}/api/v1/kv/:key`, `${PLUGIN}/api/v1/kv/:prefix/:key`]) {
    router.get(path, (req, res) => {
      const s = appSession(state, req, res);
      if (s) res.type('application/json').send(state.kv.get(key(req, s.userId)) ?? '{}');
    });
    const put = (req: Request, res: Response) => {
      const s = appSession(state, req, res);
      const body = s && jsonBody(req, res);
      if (!s || body === undefined) return;
      state.kv.set(key(req, s.userId), body);
      // The real plugin answers changed: true even when the same value is written again.
      res.json({ changed: true });
    };
    router.put(path, put);
    router.post(path, put);
    router.delete(path, (req, res) => {
      const s = appSession(state, req, res);
      if (!s) return;
      state.kv.delete(key(req, s.userId));
      res.status(200).end();
    });
  }
}

function oauth2Routes(state: FakeState, router: Router): void {
  router.post(`${PLUGIN}/api/v1/oauth2/app`, (req, res) => {
    const s = appSession(state, req, res);
    if (!s) return;
    const user = state.users.get(s.userId);
    if (s.isBot || !user?.roles.split(' ').includes('system_admin'))
      return void res.status(401).type('text/plain').send('access to this operation is limited to users with permission: manage_system: unauthorized');
    const body = jsonBody(req, res);
    if (body === undefined) return;
    state.oauth2App = JSON.parse(body);
    state.refreshEvents.push('*');
    res.status(200).end();
  });
  router.post(`${PLUGIN}/api/v1/oauth2/user`, (req, res) => {
    const s = appSession(state, req, res);
    if (!s) return;
    if (s.isBot) return void res.status(401).type('text/plain').send('bots cannot store oauth2 user data');
    const body = jsonBody(req, res);
    if (body === undefined) return;
    if (state.oauth2User.get(s.userId) !== body) state.refreshEvents.push(s.userId);
    state.oauth2User.set(s.userId, body);
    res.status(200).end();
  });
  router.get(`${PLUGIN}/api/v1/oauth2/user`, (req, res) => {
    const s = appSession(state, req, res);
    if (!s) return;
    if (s.isBot) return void res.status(401).type('text/plain').send('bots have no oauth2 user data');
    res.type('application/json').send(state.oauth2User.get(s.userId) ?? '');
  });
}

function mattermostRoutes(state: FakeState, router: Router): void {
  // Any session, App-issued or login, as the real server: the token's own user, roles included.
  router.get('/api/v4/users/me', (req, res) => {
    const bearer = req.get('authorization')?.match(/^bearer\s+(\S+)$/i)?.[1] ?? '';
    const userId = state.appTokens.get(bearer)?.userId ?? state.sessions.get(bearer);
    const user = userId ? state.users.get(userId) : undefined;
    if (!user) return void res.status(401).json({ id: 'api.context.session_expired.app_error', status_code: 401 });
    if (state.appTokens.has(bearer)) state.appRequests.push({ method: 'GET', path: req.path, userId: user.id, isBot: user.is_bot, status: 200 });
    res.json({ id: user.id, username: user.username, email: user.email, roles: user.roles, is_bot: user.is_bot || undefined });
  });
  router.post('/api/v4/channels/direct', (req, res) => {
    const s = appSession(state, req, res);
    if (!s) return;
    const ids = JSON.parse(req.body.toString('utf8')) as string[];
    if (!Array.isArray(ids) || ids.length !== 2 || !ids.includes(s.userId)) return void res.status(403).json({ message: 'forbidden' });
    res.status(201).json({ id: state.directChannel(ids[0]!, ids[1]!), type: 'D' });
  });
  router.post('/api/v4/users/ids', (req, res) => {
    if (!appSession(state, req, res)) return;
    const ids = JSON.parse(req.body.toString('utf8')) as string[];
    res.json(
      ids
        .map((id) => state.users.get(id))
        .filter(Boolean)
        .map((u) => ({ id: u!.id, username: u!.username })),
    );
  });
  router.post('/api/v4/posts', (req, res) => {
    const s = appSession(state, req, res);
    if (!s) return;
    const post = JSON.parse(req.body.toString('utf8')) as { channel_id: string; message: string };
    state.posts.push({ channel_id: post.channel_id, user_id: s.userId, message: post.message });
    res.status(201).json({ id: 'p', ...post });
  });
}

export function restRoutes(state: FakeState): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }));
  kvRoutes(state, router);
  oauth2Routes(state, router);
  mattermostRoutes(state, router);
  return router;
}
