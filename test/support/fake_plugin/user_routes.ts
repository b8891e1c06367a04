/**
 * What the webapp and the browser reach: POST /api/v1/call, GET
 * /api/v1/bindings, the static route, and the remote OAuth2 connect/complete
 * routes with the plugin's state rules (docs/mattermost.md, "Remote OAuth2":
 * random.userid, 15 minutes, single use,
 * owner checked, 307 to the App's URL).
 */
import express, { type Request, type Response, type Router } from 'express';
import { randomBytes } from 'node:crypto';
import { callApp, forbiddenPaths, PLUGIN } from './call_app.js';
import type { FakeState } from './state.js';
import type { Binding } from '../../../src/hosts/apps/protocol/types.js';
import { cleanCommandBindings, cleanForm } from '../apps_rules/clean_form.js';

const STATE_TTL_MS = 15 * 60 * 1000;

/**
 * As the plugin's cleanAppBinding / cleanForm (test/support/apps_rules/clean_form.ts):
 * command bindings and forms lose what the real plugin drops (empty selects,
 * multi-word labels, repeated options, bindings with not exactly one action).
 */
function cleanBindings(bindings: Binding[]): Binding[] {
  return bindings.map((top) => {
    if (top.location === '/command') return { ...top, bindings: cleanCommandBindings(top.bindings ?? []) };
    return { ...top, bindings: (top.bindings ?? []).map((b) => (b.form ? { ...b, form: cleanForm(b.form) } : b)) };
  });
}

/**
 * The Mattermost session: a Bearer token, or the MMAUTHTOKEN cookie. A POST
 * authenticated by the cookie needs X-Requested-With and the X-CSRF-Token of
 * the session, as the real server asks.
 */
export function sessionUser(state: FakeState, req: Request): string | undefined {
  const bearer = req.get('authorization')?.match(/^bearer\s+(\S+)$/i)?.[1];
  if (bearer) return state.sessions.get(bearer);
  const cookie = req.get('cookie')?.match(/(?:^|;\s*)MMAUTHTOKEN=([^;]+)/)?.[1];
  if (!cookie) return undefined;
  const csrfOk = req.method === 'GET' || (req.get('x-requested-with') === 'XMLHttpRequest' && req.get('x-csrf-token') === state.csrf.get(cookie));
  return csrfOk ? state.sessions.get(cookie) : undefined;
}

function callEndpoint(state: FakeState, siteUrl: () => string, router: Router): void {
  router.post(`${PLUGIN}/api/v1/call`, express.json({ limit: '1mb' }), async (req, res) => {
    const userId = sessionUser(state, req);
    if (!userId) return void res.status(401).type('text/plain').send('not logged in');
    const body = req.body as Record<string, any>;
    if (!body?.context?.app_id) return void res.status(400).type('text/plain').send('app_id is required');
    if (typeof body.path !== 'string' || !body.path.startsWith('/')) return void res.json({ type: 'error', text: 'call path must start with /' });
    if (forbiddenPaths(state.app!.manifest).includes(body.path)) return void res.status(403).type('text/plain').send(`forbidden call path ${body.path}`);
    const { values, raw_command, selected_field, query } = body;
    const answer = await callApp(state, siteUrl(), { path: body.path, expand: body.expand, state: body.state }, userId, {
      values,
      raw_command,
      selected_field,
      query,
    });
    // callAppImpl cleans a form in any call response.
    if (answer.form) answer.form = cleanForm(answer.form);
    res.json({ ...answer, app_metadata: { bot_user_id: state.app!.botUserId, bot_username: state.app!.manifest.app_id } });
  });
  // GetApp (the Apps plugin's server/proxy/list.go): any logged-in user; for non-sysadmins the OAuth2 data is blanked but not the JWT secret.
  router.get(`${PLUGIN}/api/v1/apps/:appId`, (req, res) => {
    const userId = sessionUser(state, req);
    if (!userId) return void res.status(401).type('text/plain').send('not logged in');
    const app = state.app!;
    const admin = state.users.get(userId)?.roles.split(' ').includes('system_admin');
    res.json({ ...app.manifest, deploy_type: 'http', secret: app.jwtSecret, bot_user_id: app.botUserId, remote_oauth2: admin ? (state.oauth2App ?? {}) : {} });
  });
  router.get(`${PLUGIN}/api/v1/bindings`, async (req, res) => {
    const userId = sessionUser(state, req);
    if (!userId) return void res.status(401).type('text/plain').send('not logged in');
    const manifest = state.app!.manifest;
    const answer = await callApp(state, siteUrl(), manifest.bindings ?? { path: '/bindings' }, userId);
    res.json(answer.type === 'ok' && Array.isArray(answer.data) ? cleanBindings(answer.data) : []);
  });
}

function oauth2Endpoints(state: FakeState, siteUrl: () => string, router: Router): void {
  router.get(`${PLUGIN}/apps/:appId/oauth2/remote/connect`, async (req, res) => {
    const userId = sessionUser(state, req) ?? '';
    const oauthState = `${randomBytes(15).toString('base64url')}.${userId}`;
    state.states.set(oauthState, { userId, expiresAt: state.now() + STATE_TTL_MS });
    const call = state.app!.manifest.get_oauth2_connect_url ?? { path: '/oauth2/connect' };
    const answer = await callApp(state, siteUrl(), call, userId || undefined, { values: { state: oauthState } });
    if ((answer.type !== 'ok' && answer.type !== '') || typeof answer.data !== 'string')
      return void res
        .status(500)
        .type('text/plain')
        .send(answer.text ?? 'unexpected data type, expected string (connect URL)');
    res.redirect(307, answer.data);
  });
  router.get(`${PLUGIN}/apps/:appId/oauth2/remote/complete`, async (req: Request, res: Response) => {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) values[k] = Array.isArray(v) ? String(v[0]) : String(v);
    if (!values.state) return void res.status(401).type('text/plain').send('missing state');
    const userId = sessionUser(state, req) ?? '';
    const entry = state.states.get(values.state);
    state.states.delete(values.state);
    if (!entry || entry.userId !== userId || values.state.split('.')[1] !== userId || entry.expiresAt < state.now())
      return void res.status(403).type('text/plain').send('invalid oauth2 state');
    const call = state.app!.manifest.on_oauth2_complete ?? { path: '/oauth2/complete' };
    const answer = await callApp(state, siteUrl(), call, userId, { values });
    if (answer.type === 'error') return void res.status(500).type('text/plain').send(answer.text);
    res
      .type('text/html')
      .send(
        '<!DOCTYPE html><html><head><script>window.close();</script></head><body><p>Completed connecting your account. Please close this window.</p></body></html>',
      );
  });
  router.get(`${PLUGIN}/apps/:appId/static/:name`, async (req, res) => {
    if (!sessionUser(state, req)) return void res.status(401).end();
    const upstream = await fetch(`${state.app!.rootUrl}/static/${encodeURIComponent(String(req.params.name))}`);
    res.status(upstream.status).send(Buffer.from(await upstream.arrayBuffer()));
  });
}

export function userRoutes(state: FakeState, siteUrl: () => string): Router {
  const router = express.Router();
  callEndpoint(state, siteUrl, router);
  oauth2Endpoints(state, siteUrl, router);
  return router;
}
