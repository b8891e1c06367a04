/**
 * The standalone host's bot: what the service asks of Mattermost with the bot
 * token that setup stored. Every call goes to the configured Site URL (never a
 * URL from a request) and is bounded in time.
 * Endpoints: GET /api/v4/users/{id}, GET /api/v4/users?role=system_admin,
 * POST /api/v4/channels/direct, POST /api/v4/posts (with props for buttons), POST /api/v4/actions/dialogs/open.
 * None needs more than a regular bot's rights.
 */
import type { UserProfile } from '@mattermost/types/users';
import type { Dialog, DialogElement } from '@mattermost/types/integrations';
import type { InstallationStore } from './ports.js';
import { createMattermostClient, type MattermostClient4 } from './client4.js';
import { MattermostUnreachableError, NotInstalledError } from './cannot_serve.js';
import { timed, type MattermostCallObserver } from '../../metrics/timed_fetch.js';

export { NotInstalledError };

/** A dialog as sent to dialogs/open: elements need only name, display_name and type. */
export type DialogSpec = Omit<Dialog, 'elements'> & {
  elements?: Array<Partial<DialogElement> & Pick<DialogElement, 'name' | 'display_name' | 'type'>>;
};

export interface MattermostBot {
  getUser(userId: string): Promise<UserProfile>;
  /** The user with this username; rejects when there is none. */
  getUserByUsername(username: string): Promise<UserProfile>;
  /** Re-read from Mattermost at each call: the user's roles contain system_admin. */
  isSystemAdmin(userId: string): Promise<boolean>;
  /** A direct message from the bot to the user. */
  dm(userId: string, message: string): Promise<void>;
  /** A direct message with props (message attachments with buttons whose integration context Mattermost keeps from clients). */
  dmWithProps(userId: string, message: string, props: Record<string, unknown>): Promise<void>;
  /** Opens an interactive dialog for the user who holds trigger_id; submissions go to `url`. */
  openDialog(triggerId: string, url: string, dialog: DialogSpec): Promise<void>;
}

export interface MattermostBotOptions {
  /** APP_MATTERMOST_URL. */
  siteUrl: string;
  installation: Pick<InstallationStore, 'getInstallation'>;
  timeoutMs: number;
  /** Told each call's duration and outcome (the service's metrics). */
  observe?: MattermostCallObserver;
}

function bounded<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new MattermostUnreachableError(`Mattermost did not answer ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const PAGE = 200;

/** The active system admins who are people (GET /users?role=system_admin&active=true, every page). */
export async function listActiveSystemAdmins(client: MattermostClient4): Promise<UserProfile[]> {
  const admins: UserProfile[] = [];
  for (let page = 0; ; page++) {
    const batch = await client.getProfiles(page, PAGE, { role: 'system_admin', active: true });
    // The filter is Mattermost's; checking the roles again keeps a message meant for admins from anyone else.
    admins.push(...batch.filter((u) => !u.is_bot && !u.delete_at && u.roles.split(' ').includes('system_admin')));
    if (batch.length < PAGE) return admins;
  }
}

/** A direct message from the user behind `client` (the bot) to another user. */
export async function sendDirectMessage(
  client: MattermostClient4,
  fromUserId: string,
  toUserId: string,
  message: string,
  props?: Record<string, unknown>,
): Promise<void> {
  const channel = await client.createDirectChannel([fromUserId, toUserId]);
  await client.createPost({ channel_id: channel.id, message, ...(props && { props }) } as Parameters<MattermostClient4['createPost']>[0]);
}

/** The same direct message to each user, one after the other; returns the ids it could not reach and why. */
export async function sendDirectMessages(
  client: MattermostClient4,
  fromUserId: string,
  toUserIds: string[],
  message: string,
): Promise<Array<{ userId: string; error: string }>> {
  const failed: Array<{ userId: string; error: string }> = [];
  for (const userId of toUserIds) {
    await sendDirectMessage(client, fromUserId, userId, message).catch((err: unknown) => {
      const status = (err as { status_code?: number }).status_code;
      failed.push({ userId, error: `${status ? `Mattermost answered ${status}: ` : ''}${(err as Error).message}` });
    });
  }
  return failed;
}

export function createMattermostBot(options: MattermostBotOptions): MattermostBot {
  let cached: { token: string; client: MattermostClient4 } | undefined;
  const session = async (): Promise<{ botUserId: string; client: MattermostClient4 }> => {
    const installation = await options.installation.getInstallation();
    if (!installation) throw new NotInstalledError();
    if (cached?.token !== installation.bot_token) {
      cached = { token: installation.bot_token, client: createMattermostClient(options.siteUrl, installation.bot_token) };
    }
    return { botUserId: installation.bot_user_id, client: cached.client };
  };
  const call = <T>(what: string, work: (client: MattermostClient4, botUserId: string) => Promise<T>): Promise<T> =>
    timed(options.observe, () =>
      bounded(
        session().then(({ client, botUserId }) => work(client, botUserId)),
        options.timeoutMs,
        what,
      ),
    );

  return {
    getUser: (userId) => call('GET /users/{id}', (client) => client.getUser(userId)),
    getUserByUsername: (username) => call('GET /users/username/{username}', (client) => client.getUserByUsername(username)),
    isSystemAdmin: async (userId) => {
      const user = await call('GET /users/{id}', (client) => client.getUser(userId));
      return typeof user.roles === 'string' && user.roles.split(' ').includes('system_admin') && !user.delete_at;
    },
    dm: (userId, message) => call('a direct message', (client, botUserId) => sendDirectMessage(client, botUserId, userId, message)),
    dmWithProps: (userId, message, props) => call('a direct message', (client, botUserId) => sendDirectMessage(client, botUserId, userId, message, props)),
    openDialog: (triggerId, url, dialog) =>
      call('POST /actions/dialogs/open', async (client) => {
        // Client4 has no method for it; doFetch keeps its headers and ClientError mapping.
        const doFetch = (client as unknown as { doFetch: (url: string, init: RequestInit) => Promise<unknown> }).doFetch;
        await doFetch(`${client.getBaseRoute()}/actions/dialogs/open`, {
          method: 'post',
          body: JSON.stringify({ trigger_id: triggerId, url, dialog }),
        });
      }),
  };
}
