/**
 * An in-process fake of a Mattermost server running the Apps plugin v1.2.2,
 * keeping the contract described in docs/mattermost.md (calls, remote OAuth2,
 * the REST API). It exists
 * for speed; the same scenarios run on the real server (test/e2e), which is
 * what keeps it honest.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { callApp } from './call_app.js';
import { restRoutes } from './rest_routes.js';
import { FakeState, type FakeUser } from './state.js';
import { userRoutes } from './user_routes.js';

export interface FakePlugin {
  siteUrl: string;
  state: FakeState;
  admin: FakeUser;
  addUser(username: string, admin?: boolean): FakeUser;
  /** A login session token for the user (Bearer or MMAUTHTOKEN cookie). */
  login(user: FakeUser): string;
  /** /apps install http <manifestUrl>, with the JWT secret typed in the consent modal. */
  install(manifestUrl: string, jwtSecret: string): Promise<string>;
  close(): Promise<void>;
}

export interface FakePluginOptions {
  now?: () => number;
  /** Extra routes of the fake Mattermost server, e.g. a page hosting the webapp plugin. */
  extraRoutes?: (app: express.Express) => void;
}

export async function startFakePlugin(options: FakePluginOptions = {}): Promise<FakePlugin> {
  const state = new FakeState(options.now ?? Date.now);
  const admin = state.addUser('admin', 'system_user system_admin');
  let siteUrl = '';
  const app = express();
  options.extraRoutes?.(app);
  app.use(userRoutes(state, () => siteUrl));
  app.use(restRoutes(state));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function install(manifestUrl: string, jwtSecret: string): Promise<string> {
    const manifest = (await (await fetch(manifestUrl)).json()) as Record<string, any>;
    if (typeof manifest.version === 'string' && manifest.version.length > 10) throw new Error('manifest version is longer than 10 characters');
    const rootUrl = manifest.http.root_url as string;
    const ping = await fetch(`${rootUrl}/ping`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    if (ping.status !== 404 && ping.status !== 200 && ping.status !== 401) throw new Error(`ping failed: ${ping.status}`);
    if (manifest.icon && (await fetch(`${rootUrl}/static/${manifest.icon}`)).status !== 200) throw new Error('icon not found');
    const bot = state.addUser(String(manifest.app_id).toLowerCase(), 'system_user', true);
    state.app = { manifest, rootUrl, useJwt: Boolean(manifest.http.use_jwt), jwtSecret, botUserId: bot.id };
    const answer = manifest.on_install ? await callApp(state, siteUrl, manifest.on_install, admin.id) : { type: 'ok' };
    return answer.text ?? '';
  }

  return {
    get siteUrl() {
      return siteUrl;
    },
    state,
    admin,
    addUser: (username, isAdmin = false) => state.addUser(username, isAdmin ? 'system_user system_admin' : 'system_user'),
    login: (user) => state.login(user.id),
    install,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
