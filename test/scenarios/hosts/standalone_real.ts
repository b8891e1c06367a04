/**
 * The standalone host's Mattermost as a real server without the Apps plugin
 * (the one `npm run test:e2e` starts, described under `standalone` in
 * E2E_WORLD_FILE). Setup runs for real (runSetup with the admin's session
 * token: bot, trusted OAuth app, /oauth2 in every team). A command is typed
 * through POST /api/v4/commands/execute with the user's session; a dialog the
 * service opens reaches the user's own websocket as `open_dialog`; a
 * submission goes through POST /api/v4/actions/dialogs/submit, so Mattermost
 * itself forwards it to the service with the user id it vouches for.
 */
import { WebSocket } from 'undici';
import { runSetup } from '../../../src/hosts/standalone/setup/setup.js';
import type { RunningService } from '../../../src/service.js';
import * as mm from '../../e2e/harness/mm_api.js';
import { readWorldInfo, type StandaloneServerInfo } from '../../e2e/harness/world_info.js';
import type { BrowserCookie } from '../backend.js';
import type { Person } from '../host.js';
import { realTeamAdminKit, type TeamAdminKit } from './team_admin.js';
import type { DialogAnswer, DialogSubmission, OpenedDialog } from './standalone_dialog.js';
import type { CommandOutcome, StandaloneMattermost } from './standalone.js';

/** The `open_dialog` events one user's websocket received, in order. */
export class DialogInbox {
  private readonly opened: OpenedDialog[] = [];
  private waiters: Array<() => void> = [];

  private seq = 1;
  private readonly replies = new Map<number, () => void>();

  private constructor(private readonly socket: WebSocket) {}

  /** A request on the socket and its reply: events queued before it have arrived by then. */
  async sync(): Promise<void> {
    const seq = ++this.seq;
    await new Promise<void>((resolve) => {
      this.replies.set(seq, resolve);
      this.socket.send(JSON.stringify({ seq, action: 'get_statuses' }));
    });
  }

  static async connect(siteUrl: string, token: string): Promise<DialogInbox> {
    const socket = new WebSocket(`${siteUrl.replace(/^http/, 'ws')}/api/v4/websocket`);
    const inbox = new DialogInbox(socket);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('error', () => reject(new Error('the websocket failed')), { once: true });
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { event?: string; seq_reply?: number; status?: string; data?: { dialog?: string } };
        if (message.seq_reply === 1) return message.status === 'OK' ? resolve() : reject(new Error(`websocket authentication: ${JSON.stringify(message)}`));
        if (message.seq_reply !== undefined) {
          inbox.replies.get(message.seq_reply)?.();
          inbox.replies.delete(message.seq_reply);
        }
        if (message.event === 'open_dialog' && message.data?.dialog) inbox.receive(JSON.parse(message.data.dialog) as OpenedDialog);
      });
      socket.addEventListener('open', () => socket.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token } })), { once: true });
    });
    return inbox;
  }

  private receive(dialog: OpenedDialog): void {
    this.opened.push(dialog);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The dialog opened with `triggerId`, waiting up to `ms` for it (the event may trail the command's answer). */
  async take(triggerId: string, ms = 3000): Promise<OpenedDialog | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.opened.findIndex((d) => (d as OpenedDialog & { trigger_id?: string }).trigger_id === triggerId);
      if (i >= 0) return this.opened.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

interface Member {
  person: Person;
  session: mm.Session;
  inbox: DialogInbox;
}

export class RealStandaloneMattermost implements StandaloneMattermost {
  readonly backend = 'real' as const;
  private readonly members = new Map<string, Member>();
  private botUserId = '';
  private readonly ownSecrets: string[] = [];

  private constructor(
    private readonly info: StandaloneServerInfo,
    private readonly adminSession: mm.Session,
  ) {}

  static async start(): Promise<RealStandaloneMattermost> {
    const info = readWorldInfo()?.standalone;
    if (!info) throw new Error('SCENARIO_BACKEND=real needs the standalone server in E2E_WORLD_FILE: run it through `npm run test:e2e`');
    const admin = await mm.login(info.directUrl, info.adminUsername);
    const server = new RealStandaloneMattermost(info, admin);
    await server.join(admin);
    return server;
  }

  get url() {
    return this.info.siteUrl;
  }
  get teamId() {
    return this.info.teamIds[0]!;
  }
  get channelId() {
    return this.info.channelId;
  }
  get admin(): Person {
    return this.members.get(this.adminSession.user.id)!.person;
  }
  get secrets() {
    return [this.adminSession.token, ...this.ownSecrets];
  }

  private async join(session: mm.Session): Promise<Person> {
    const person = { id: session.user.id, username: session.user.username, isAdmin: session.user.roles.includes('system_admin') };
    this.members.set(person.id, { person, session, inbox: await DialogInbox.connect(this.info.directUrl, session.token) });
    return person;
  }

  private member(user: Person): Member {
    const found = this.members.get(user.id);
    if (!found) throw new Error(`no session for ${user.username}`);
    return found;
  }

  async install(service: RunningService, rootUrl: string): Promise<void> {
    const store = service.standalone!.repositories.installation;
    const report = await runSetup({ adminToken: this.adminSession.token, mattermostUrl: this.url, rootUrl, store, mode: 'apply' });
    if (report.problems.length > 0) throw new Error(`setup found problems:\n${report.format()}`);
    const installation = await store.getInstallation();
    if (!installation) throw new Error('setup stored no installation');
    this.botUserId = installation.bot_user_id;
    this.ownSecrets.push(installation.bot_token, installation.oauth_client_secret);
  }

  async uninstall(service: RunningService, rootUrl: string): Promise<void> {
    const store = service.standalone!.repositories.installation;
    await runSetup({ adminToken: this.adminSession.token, mattermostUrl: this.url, rootUrl, store, mode: 'remove' });
  }

  async createUser(username: string): Promise<Person> {
    const user = await mm.createUser(this.adminSession.client, username);
    for (const teamId of this.info.teamIds) await mm.addToTeam(this.adminSession.client, teamId, user.id);
    return this.join(await mm.login(this.info.directUrl, username));
  }

  async execute(user: Person, text: string): Promise<CommandOutcome> {
    const { session, inbox } = this.member(user);
    const answer = await session.client.json<{ text?: string; trigger_id?: string }>('POST', '/api/v4/commands/execute', {
      command: `/oauth2 ${text}`,
      channel_id: this.channelId,
      team_id: this.teamId,
    });
    // The service opens a dialog before it answers, so its open_dialog event was queued to the socket before the answer
    // came: one more request on the socket orders after it. An empty answer means a dialog is expected; a text answer
    // may come with one ("The dialog opened with what you typed").
    if (answer.text) await inbox.sync();
    const dialog = answer.trigger_id ? await inbox.take(answer.trigger_id, answer.text ? 0 : 5000) : undefined;
    return { text: answer.text ?? '', ...(dialog && { dialog: { url: dialog.url, dialog: dialog.dialog } }) };
  }

  async submitDialog(user: Person, url: string, body: DialogSubmission): Promise<DialogAnswer> {
    const answer = await this.member(user).session.client.json<DialogAnswer | undefined>('POST', '/api/v4/actions/dialogs/submit', {
      ...body,
      url,
      channel_id: this.channelId,
      team_id: this.teamId,
    });
    return answer ?? {};
  }

  browserCookies(user: Person): BrowserCookie[] {
    const { session } = this.member(user);
    return ['MMAUTHTOKEN', 'MMUSERID', 'MMCSRF'].map((name) => ({ name, value: session.cookies[name] ?? '', url: this.url }));
  }

  async directMessages(user: Person): Promise<string[]> {
    if (!this.botUserId) return [];
    const posts = await mm.directPosts(this.member(user).session.client, user.id, this.botUserId);
    return posts.filter((p) => p.user_id === this.botUserId).map((p) => p.message);
  }

  teamAdminKit(user: Person, service: RunningService, rootUrl: string): Promise<TeamAdminKit> {
    const store = service.standalone!.repositories.installation;
    return realTeamAdminKit({ user: this.member(user).session, adminToken: this.adminSession.token, siteUrl: this.url, rootUrl, store });
  }

  async close(): Promise<void> {
    for (const { inbox } of this.members.values()) inbox.close();
  }
}
