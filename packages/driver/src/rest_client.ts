/** The few Mattermost REST v4 calls the App makes: who a token belongs to, and the bot's direct messages. */
import { MattermostApiError } from './errors.js';
import { parseJson, send, type HttpOptions } from './http.js';

export class MattermostRestClient {
  constructor(private readonly options: HttpOptions) {}

  /** GET /api/v4/users/me: the user the token belongs to, with their roles as Mattermost sees them. */
  async me(): Promise<{ id: string; roles: string }> {
    const path = '/api/v4/users/me';
    const user = parseJson('GET', path, await send(this.options, { method: 'GET', path })) as { id?: unknown; roles?: unknown };
    if (typeof user?.id !== 'string') throw new MattermostApiError('GET', path, 200, 'the answer is not a user');
    return { id: user.id, roles: typeof user.roles === 'string' ? user.roles : '' };
  }

  /** POST /api/v4/channels/direct: idempotent, returns the DM channel's id. */
  async directChannel(userA: string, userB: string): Promise<string> {
    const path = '/api/v4/channels/direct';
    const text = await send(this.options, { method: 'POST', path, body: JSON.stringify([userA, userB]) });
    const channel = parseJson('POST', path, text) as { id?: unknown };
    if (typeof channel.id !== 'string') throw new Error('Mattermost answered a direct channel without an id');
    return channel.id;
  }

  /** POST /api/v4/users/ids: user id -> username, for the ids that exist. */
  async usernames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const path = '/api/v4/users/ids';
    const users = parseJson('POST', path, await send(this.options, { method: 'POST', path, body: JSON.stringify(ids) })) as Array<{
      id?: unknown;
      username?: unknown;
    }>;
    return new Map(users.filter((u) => typeof u.id === 'string' && typeof u.username === 'string').map((u) => [u.id as string, u.username as string]));
  }

  async createPost(channelId: string, message: string): Promise<void> {
    await send(this.options, { method: 'POST', path: '/api/v4/posts', body: JSON.stringify({ channel_id: channelId, message }) });
  }
}
