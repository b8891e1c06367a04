/**
 * The standalone host's Mattermost as the in-process fake
 * (test/support/standalone/fake_mattermost.ts): what setup would store is
 * saved directly, commands are POSTed to the service with the team's command
 * token as Mattermost does, opened dialogs are read from the fake's
 * dialogs/open record, and submissions go to the dialog's url with the
 * submitting user's id, as Mattermost forwards them.
 */
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import type { RunningService } from '../../../src/service.js';
import { mmId, startFakeMattermost, type FakeMattermost } from '../../support/standalone/fake_mattermost.js';
import type { Person } from '../host.js';
import type { TeamAdminKit } from './team_admin.js';
import type { DialogAnswer, DialogSubmission, OpenedDialog } from './standalone_dialog.js';
import type { ButtonOutcome, CommandOutcome, StandaloneMattermost } from './standalone.js';

interface FakeAction {
  id: string;
  name: string;
  integration: { url: string; context: Record<string, unknown> };
}

/** The buttons of a post, as the bot sent them (with their integration context, which real clients never see). */
export const actionsOf = (props: Record<string, unknown> | undefined): FakeAction[] =>
  ((props?.attachments as Array<{ actions?: FakeAction[] }> | undefined) ?? []).flatMap((a) => a.actions ?? []);

const asPerson = (user: { id: string; username: string; roles: string }): Person => ({
  id: user.id,
  username: user.username,
  isAdmin: user.roles.split(' ').includes('system_admin'),
});

export class FakeStandaloneMattermost implements StandaloneMattermost {
  readonly backend = 'fake' as const;
  readonly teamId = mmId();
  readonly channelId = mmId();
  readonly commandToken = mmId();
  private rootUrl = '';

  private constructor(
    readonly fake: FakeMattermost,
    readonly admin: Person,
  ) {}

  static async start(rootUrl: string): Promise<FakeStandaloneMattermost> {
    const fake = await startFakeMattermost(`${rootUrl}/standalone/signin/callback`);
    return new FakeStandaloneMattermost(fake, asPerson(fake.addUser('admin', 'system_user system_admin')));
  }

  get url() {
    return this.fake.url;
  }
  get secrets() {
    return [this.fake.botToken, this.fake.client.secret, this.commandToken];
  }

  async install(service: RunningService, rootUrl: string): Promise<void> {
    this.rootUrl = rootUrl;
    const store = service.standalone!.repositories.installation;
    await store.saveInstallation({
      mattermost_url: this.fake.url,
      bot_user_id: this.fake.botUserId,
      bot_username: 'oauth2-connect',
      bot_token: this.fake.botToken,
      oauth_client_id: this.fake.client.id,
      oauth_client_secret: this.fake.client.secret,
      updated_at: Date.now(),
    });
    await store.saveCommand({ team_id: this.teamId, command_id: mmId(), token_hash: hashCommandToken(this.commandToken), updated_at: Date.now() });
  }

  async uninstall(): Promise<void> {}

  async createUser(username: string): Promise<Person> {
    return asPerson(this.fake.addUser(username));
  }

  /** The form Mattermost POSTs to the command's URL. */
  commandFields(user: Person, text: string, triggerId = this.fake.signer.sign(user.id)): Record<string, string> {
    return {
      token: this.commandToken,
      team_id: this.teamId,
      team_domain: 'team',
      channel_id: this.channelId,
      channel_name: 'town-square',
      user_id: user.id,
      user_name: user.username,
      command: '/oauth2',
      text,
      trigger_id: triggerId,
      response_url: `${this.fake.url}/hooks/commands/${mmId()}`,
    };
  }

  async execute(user: Person, text: string): Promise<CommandOutcome> {
    const fields = this.commandFields(user, text);
    const res = await fetch(`${this.rootUrl}/standalone/command`, { method: 'POST', body: new URLSearchParams(fields) });
    if (res.status !== 200) throw new Error(`/oauth2 ${text} answered HTTP ${res.status}: ${await res.text()}`);
    const answer = (await res.json()) as { text?: string };
    const opened = this.fake.dialogs.find((d) => d.trigger_id === fields.trigger_id) as OpenedDialog | undefined;
    return { text: answer.text ?? '', ...(opened && { dialog: { url: opened.url, dialog: opened.dialog } }) };
  }

  async submitDialog(user: Person, url: string, body: DialogSubmission): Promise<DialogAnswer> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, user_id: user.id, team_id: this.teamId, channel_id: this.channelId }),
    });
    if (res.status !== 200) throw new Error(`the dialog answered HTTP ${res.status}`);
    const text = await res.text();
    return text === '' ? {} : (JSON.parse(text) as DialogAnswer);
  }

  /** Mattermost's post-action request: the clicking user's id and the button's context, POSTed to its URL. */
  async clickButton(user: Person, name: string): Promise<ButtonOutcome> {
    const post = this.fake.posts.findLast((p) => p.to === user.id && actionsOf(p.props).some((a) => a.name === name));
    const action = post && actionsOf(post.props).find((a) => a.name === name);
    if (!post || !action) throw new Error(`no button "${name}" in the DMs of ${user.username}`);
    const res = await fetch(action.integration.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: user.id,
        user_name: user.username,
        channel_id: post.channel_id,
        team_id: '',
        post_id: post.id,
        trigger_id: '',
        type: '',
        data_source: '',
        context: action.integration.context,
      }),
    });
    if (res.status !== 200) throw new Error(`the button's URL answered HTTP ${res.status}`);
    const answer = (await res.json()) as { update?: { message: string; props?: Record<string, unknown> }; ephemeral_text?: string };
    if (answer.update) Object.assign(post, { message: answer.update.message, props: answer.update.props ?? post.props });
    return { ...(answer.ephemeral_text && { ephemeral: answer.ephemeral_text }), message: post.message };
  }

  browserCookies(user: Person) {
    return [{ name: 'MMAUTHTOKEN', value: user.id, url: this.fake.url }];
  }

  async directMessages(user: Person): Promise<string[]> {
    return this.fake.posts.filter((p) => p.to === user.id).map((p) => p.message);
  }

  /** The fake has one team: its admin reads the same token; Mattermost signs the triggers of their own command with its key. */
  async teamAdminKit(user: Person): Promise<TeamAdminKit> {
    return {
      teamId: this.teamId,
      channelId: this.channelId,
      commandToken: this.commandToken,
      ownTrigger: async () => this.fake.signer.sign(user.id),
      close: async () => undefined,
    };
  }

  close(): Promise<void> {
    return this.fake.close();
  }
}
