/**
 * The scenario backend on a real Mattermost server with the real Apps plugin.
 * The E2E runner (test/e2e/run_e2e.ts) starts the servers once and describes
 * them in the JSON file named by E2E_WORLD_FILE; each scenario file installs
 * its own App instance (a re-install: the plugin keeps the App's stored data).
 */
import { readFileSync } from 'node:fs';
import type { Binding, CallResponse } from '../../../src/hosts/apps/protocol/types.js';
import { APP_ID } from '../../../src/hosts/apps/protocol/manifest.js';
import * as mm from '../../e2e/harness/mm_api.js';
import type { Backend, BrowserCookie, CallInput, ScenarioUser } from '../backend.js';

/** What the E2E runner writes for the scenario processes. */
export interface RealWorldInfo {
  /** SiteURL (what browsers use). */
  siteUrl: string;
  /** http://127.0.0.1:port (what Node uses). */
  directUrl: string;
  adminUsername: string;
  teamId: string;
  channelId: string;
}

export class RealBackend implements Backend {
  readonly name = 'real' as const;
  private readonly sessions = new Map<string, mm.Session>();
  private botUserId: string | undefined;

  private constructor(
    private readonly info: RealWorldInfo,
    private readonly adminSession: mm.Session,
    readonly admin: ScenarioUser,
  ) {
    this.sessions.set(admin.id, adminSession);
  }

  static async start(): Promise<RealBackend> {
    const file = process.env.E2E_WORLD_FILE;
    if (!file) throw new Error('SCENARIO_BACKEND=real needs E2E_WORLD_FILE: run it through `npm run test:e2e`');
    return RealBackend.on(JSON.parse(readFileSync(file, 'utf8')) as RealWorldInfo);
  }

  /** On a server of the caller's own (an E2E test that changes the server, e.g. turns the Apps plugin off). */
  static async on(info: RealWorldInfo): Promise<RealBackend> {
    const session = await mm.login(info.directUrl, info.adminUsername);
    return new RealBackend(info, session, { id: session.user.id, username: session.user.username, isAdmin: true, token: session.token });
  }

  get siteUrl(): string {
    return this.info.siteUrl;
  }

  async createUser(username: string): Promise<ScenarioUser> {
    const user = await mm.createUser(this.adminSession.client, username);
    await mm.addToTeam(this.adminSession.client, this.info.teamId, user.id);
    const session = await mm.login(this.info.directUrl, username);
    this.sessions.set(user.id, session);
    return { id: user.id, username, isAdmin: false, token: session.token };
  }

  async installApp(manifestUrl: string, jwtSecret: string): Promise<void> {
    const manifest = (await (await fetch(manifestUrl)).json()) as Record<string, unknown>;
    await mm.listApp(this.adminSession.client, manifest);
    const answer = await mm.installAppWithConsent(this.adminSession.client, APP_ID, jwtSecret);
    if (answer.type !== 'ok') throw new Error(`installing the App failed: ${JSON.stringify(answer)}`);
    const bot = await this.adminSession.client.json<{ id: string }>('GET', `/api/v4/users/username/${APP_ID}`);
    this.botUserId = bot.id;
  }

  private client(user: ScenarioUser): mm.MMClient {
    const session = this.sessions.get(user.id);
    if (!session) throw new Error(`no session for ${user.username}`);
    return session.client;
  }

  async bindings(user: ScenarioUser): Promise<Binding[]> {
    const query = new URLSearchParams({ channel_id: this.info.channelId, team_id: this.info.teamId, user_agent: 'webapp' });
    return this.client(user).json<Binding[]>('GET', `${mm.APPS_API}/bindings?${query}`);
  }

  async call(user: ScenarioUser, input: CallInput): Promise<CallResponse> {
    const res = await this.client(user).raw('POST', `${mm.APPS_API}/call`, {
      ...input,
      context: { app_id: APP_ID, location: '/command', channel_id: this.info.channelId, team_id: this.info.teamId, user_agent: 'webapp' },
    });
    const text = await res.text();
    if (!res.ok) return { type: 'error', text: `HTTP ${res.status}: ${text}` };
    return JSON.parse(text) as CallResponse;
  }

  browserCookies(user: ScenarioUser): BrowserCookie[] {
    const session = this.sessions.get(user.id);
    return Object.entries(session?.cookies ?? {}).map(([name, value]) => ({ name, value, url: this.info.siteUrl }));
  }

  async directMessages(user: ScenarioUser): Promise<string[]> {
    if (!this.botUserId) return [];
    const posts = await mm.directPosts(this.client(user), user.id, this.botUserId);
    return posts.filter((p) => p.user_id === this.botUserId).map((p) => p.message);
  }

  async close(): Promise<void> {
    // Nothing to stop: the servers belong to the E2E runner. Uninstalling is no way to
    // start the next file clean: on this server it fails half-way ("RevokeAllSessions:
    // Unable to remove the session") and leaves the App disabled; see world.ts.
  }
}
