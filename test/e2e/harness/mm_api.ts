// Thin REST helpers over a real Mattermost server and the Apps plugin, for
// E2E tests. Errors carry the status and body, since that is what a failing
// test needs to show.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { log } from './run.js';

export const APPS_PLUGIN_ID = 'com.mattermost.apps';
export const APPS_API = `/plugins/${APPS_PLUGIN_ID}/api/v1`;

export interface User {
  id: string;
  username: string;
  roles: string;
  [k: string]: unknown;
}
export interface Session {
  token: string;
  user: User;
  /** The browser cookies a login sets: MMAUTHTOKEN, MMUSERID, MMCSRF. */
  cookies: Record<string, string>;
  client: MMClient;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} -> HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

export class MMClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  withToken(token: string): MMClient {
    return new MMClient(this.url, token);
  }

  /** Raw request; the body is JSON unless it is a string or FormData. */
  async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest', ...headers };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload: string | FormData | undefined;
    if (body instanceof FormData || typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['Content-Type'] = 'application/json';
    }
    return fetch(`${this.url}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
  }

  /** Request expecting a 2xx JSON answer (or an empty body, returned as undefined). */
  async json<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new HttpError(res.status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** The first user created on a fresh server becomes system admin; no token is needed. */
export async function createUser(server: string | MMClient, username: string, password = 'Passw0rd!e2e'): Promise<User> {
  const client = typeof server === 'string' ? new MMClient(server) : server;
  return client.json<User>('POST', '/api/v4/users', { username, password, email: `${username}@example.test` });
}

export async function login(url: string, username: string, password = 'Passw0rd!e2e'): Promise<Session> {
  const res = await new MMClient(url).raw('POST', '/api/v4/users/login', { login_id: username, password });
  const text = await res.text();
  if (!res.ok) throw new HttpError(res.status, text, `login ${username}`);
  const cookies: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    cookies[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
  const token = res.headers.get('token') ?? cookies.MMAUTHTOKEN!;
  return { token, user: JSON.parse(text) as User, cookies, client: new MMClient(url, token) };
}

export async function createTeam(admin: MMClient, name: string): Promise<{ id: string; name: string }> {
  return admin.json('POST', '/api/v4/teams', { name, display_name: name, type: 'O' });
}

export async function addToTeam(admin: MMClient, teamId: string, userId: string): Promise<void> {
  await admin.json('POST', `/api/v4/teams/${teamId}/members`, { team_id: teamId, user_id: userId });
}

/** Uploads a plugin bundle (multipart field "plugin") and enables it. */
export async function uploadAndEnablePlugin(admin: MMClient, bundlePath: string): Promise<string> {
  const form = new FormData();
  form.append('plugin', new Blob([readFileSync(bundlePath)]), basename(bundlePath));
  form.append('force', 'true');
  const manifest = await admin.json<{ id: string }>('POST', '/api/v4/plugins', form);
  await admin.json('POST', `/api/v4/plugins/${manifest.id}/enable`);
  return manifest.id;
}

/** Waits until the plugin reports state 2 (running) in /plugins/statuses. */
export async function waitPluginActive(admin: MMClient, id: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    const statuses = await admin.json<Array<{ plugin_id: string; state: number; error?: string }>>('GET', '/api/v4/plugins/statuses');
    const s = statuses.find((p) => p.plugin_id === id);
    last = JSON.stringify(s ?? null);
    if (s?.state === 2) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`plugin ${id} not running after ${timeoutMs / 1000}s; last status ${last}`);
}

/**
 * Lists an HTTP App's manifest with the plugin (admin API). `add_deploys`
 * is needed on a first listing, or the `http` deploy block is dropped.
 */
export async function listApp(admin: MMClient, manifest: Record<string, unknown>): Promise<unknown> {
  return admin.json('POST', `${APPS_API}/update-app-listing`, { ...manifest, add_deploys: ['http'] });
}

/**
 * Installs a listed App the way the consent modal of `/apps install http` does:
 * a call to the built-in "apps" App. This is the only path that sets the JWT
 * secret; POST /install-app always installs with an empty secret.
 */
export async function installAppWithConsent(admin: MMClient, appId: string, jwtSecret: string): Promise<{ type: string; text?: string }> {
  return admin.json('POST', `${APPS_API}/call`, {
    path: '/install-consent',
    expand: { acting_user: '+summary', locale: 'all' },
    state: appId,
    context: { app_id: 'apps' },
    values: { consent: true, deploy_type: { label: 'http', value: 'http' }, secret: jwtSecret },
  });
}

/** POST /install-app {app_id, deploy_type}: installs with no JWT secret (""). */
export async function installApp(admin: MMClient, appId: string): Promise<Record<string, unknown>> {
  return admin.json('POST', `${APPS_API}/install-app`, { app_id: appId, deploy_type: 'http' });
}

/** A user-agent call, as the webapp makes it (session token + X-Requested-With). */
export async function appsCall(user: MMClient, request: Record<string, unknown>): Promise<any> {
  return user.json('POST', `${APPS_API}/call`, request);
}

/** Adds a permission to a role if it lacks it (PUT /roles/{id}/patch). */
export async function ensureRolePermission(admin: MMClient, roleName: string, permission: string): Promise<boolean> {
  const role = await admin.json<{ id: string; permissions: string[] }>('GET', `/api/v4/roles/name/${roleName}`);
  if (role.permissions.includes(permission)) return false;
  await admin.json('PUT', `/api/v4/roles/${role.id}/patch`, { permissions: [...role.permissions, permission] });
  log(`granted ${permission} to ${roleName}`);
  return true;
}

export async function createOAuthApp(
  admin: MMClient,
  app: { name: string; callback_urls: string[]; homepage: string; is_trusted?: boolean },
): Promise<{ id: string; client_secret: string }> {
  // On the pinned master build, manage_oauth is a deprecated permission that no
  // role gets on a fresh database, yet POST /oauth/apps still requires it.
  await ensureRolePermission(admin, 'system_admin', 'manage_oauth');
  return admin.json('POST', '/api/v4/oauth/apps', { description: app.name, is_trusted: true, ...app });
}

/** Every post in the DM channel between `user` and `other` (e.g. an App's bot), oldest first: all pages, not the server's first 60. */
export async function directPosts(user: MMClient, userId: string, otherId: string): Promise<Array<{ user_id: string; message: string }>> {
  const channel = await user.json<{ id: string }>('POST', '/api/v4/channels/direct', [userId, otherId]);
  const posts: Array<{ user_id: string; message: string }> = [];
  for (let page = 0; ; page++) {
    const list = await user.json<{ order: string[]; posts: Record<string, any> }>('GET', `/api/v4/channels/${channel.id}/posts?page=${page}&per_page=200`);
    posts.push(...list.order.map((id) => list.posts[id]));
    if (list.order.length < 200) return posts.reverse();
  }
}

export function logStep(step: string): void {
  log(step);
}
