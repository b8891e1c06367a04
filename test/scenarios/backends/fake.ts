/** The scenario backend on the in-process fake of the Apps plugin. */
import type { Binding, CallResponse } from '../../../src/hosts/apps/protocol/types.js';
import { startFakePlugin, type FakePlugin, type FakePluginOptions } from '../../support/fake_plugin/server.js';
import type { Backend, CallInput, ScenarioUser } from '../backend.js';

export class FakeBackend implements Backend {
  readonly name = 'fake' as const;
  private constructor(
    readonly fake: FakePlugin,
    readonly admin: ScenarioUser,
  ) {}

  static async start(options: FakePluginOptions = {}): Promise<FakeBackend> {
    const fake = await startFakePlugin(options);
    const admin = { id: fake.admin.id, username: fake.admin.username, isAdmin: true, token: fake.login(fake.admin) };
    return new FakeBackend(fake, admin);
  }

  get siteUrl(): string {
    return this.fake.siteUrl;
  }

  async createUser(username: string): Promise<ScenarioUser> {
    const user = this.fake.addUser(username);
    return { id: user.id, username, isAdmin: false, token: this.fake.login(user) };
  }

  async installApp(manifestUrl: string, jwtSecret: string): Promise<void> {
    await this.fake.install(manifestUrl, jwtSecret);
  }

  private async request(user: ScenarioUser, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.siteUrl}/plugins/com.mattermost.apps/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  async bindings(user: ScenarioUser): Promise<Binding[]> {
    return (await (await this.request(user, '/bindings')).json()) as Binding[];
  }

  async call(user: ScenarioUser, input: CallInput): Promise<CallResponse> {
    const res = await this.request(user, '/call', { ...input, context: { app_id: 'oauth2-connect', location: '/command', user_agent: 'webapp' } });
    if (!res.ok) return { type: 'error', text: `HTTP ${res.status}: ${await res.text()}` };
    return (await res.json()) as CallResponse;
  }

  browserCookies(user: ScenarioUser) {
    return [
      { name: 'MMAUTHTOKEN', value: user.token, url: this.siteUrl },
      { name: 'MMUSERID', value: user.id, url: this.siteUrl },
      { name: 'MMCSRF', value: this.fake.state.csrf.get(user.token) ?? '', url: this.siteUrl },
    ];
  }

  async directMessages(user: ScenarioUser): Promise<string[]> {
    return this.fake.state.dmsTo(user.id);
  }

  async close(): Promise<void> {
    await this.fake.close();
  }
}
