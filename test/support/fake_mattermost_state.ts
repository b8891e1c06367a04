/** The state of the fake Mattermost REST server: users, tokens, teams, commands, OAuth apps, config, direct messages. */
import { randomBytes } from 'node:crypto';

export interface FakeUser {
  id: string;
  username: string;
  roles: string;
  is_bot: boolean;
  delete_at: number;
  display_name?: string;
  description?: string;
  props?: Record<string, string>;
}
export interface FakeToken {
  id: string;
  token: string;
  user_id: string;
  description: string;
  is_active: boolean;
}
export interface FakeCommand {
  id: string;
  token: string;
  team_id: string;
  trigger: string;
  creator_id: string;
  delete_at: number;
  [k: string]: unknown;
}
export interface FakeOAuthApp {
  id: string;
  client_secret: string;
  name: string;
  callback_urls: string[];
  homepage: string;
  is_trusted: boolean;
  creator_id: string;
  [k: string]: unknown;
}

export interface FakeTeam {
  id: string;
  name: string;
  display_name: string;
  delete_at: number;
  /** Team admins: by default they hold manage_slash_commands and manage_others_slash_commands there. */
  admins: Set<string>;
}
export interface FakeDirectPost {
  from: string;
  to: string;
  message: string;
}

export const newId = (): string => randomBytes(13).toString('hex').slice(0, 26);

export class FakeMattermostState {
  readonly users = new Map<string, FakeUser>();
  readonly tokens = new Map<string, FakeToken>();
  readonly teams = new Map<string, FakeTeam>();
  readonly commands = new Map<string, FakeCommand>();
  readonly oauthApps = new Map<string, FakeOAuthApp>();
  readonly roles = new Map<string, { id: string; name: string; permissions: string[] }>([
    ['system_admin', { id: newId(), name: 'system_admin', permissions: ['manage_system', 'manage_oauth'] }],
  ]);
  service: Record<string, unknown> = {
    SiteURL: '',
    EnableCommands: true,
    EnableBotAccountCreation: true,
    EnableOAuthServiceProvider: true,
    AllowedUntrustedInternalConnections: '127.0.0.1',
  };
  /** The ids of the active plugins (GET /api/v4/plugins); `pluginsEnabled` false: plugins are off (501). */
  readonly activePlugins: string[] = [];
  pluginsEnabled = true;
  /** Posts in direct channels, oldest first. */
  readonly directPosts: FakeDirectPost[] = [];
  /** Requests ("METHOD /path") answered 403 whoever asks: an action the caller may not take. */
  readonly refused = new Set<string>();
  /** Every request as "METHOD /path", for asserting what a run changed. */
  readonly calls: string[] = [];

  addUser(username: string, roles = 'system_user', isBot = false): FakeUser {
    const user = { id: newId(), username, roles, is_bot: isBot, delete_at: 0 };
    this.users.set(user.id, user);
    return user;
  }

  tokenFor(userId: string, description = 'test'): string {
    const token = newId();
    this.tokens.set(token, { id: newId(), token, user_id: userId, description, is_active: true });
    return token;
  }

  /** A team; `adminId` is its team admin (as the user who creates a team becomes). */
  addTeam(name: string, adminId?: string): string {
    const id = newId();
    this.teams.set(id, { id, name, display_name: name, delete_at: 0, admins: new Set(adminId ? [adminId] : []) });
    return id;
  }

  liveCommands(teamId?: string): FakeCommand[] {
    return [...this.commands.values()].filter((c) => c.delete_at === 0 && (!teamId || c.team_id === teamId));
  }

  /** The direct messages a user received. */
  messagesTo(userId: string): string[] {
    return this.directPosts.filter((p) => p.to === userId).map((p) => p.message);
  }

  /** Requests that changed something (anything but GET). */
  writes(): string[] {
    return this.calls.filter((c) => !c.startsWith('GET '));
  }
}

export interface Call {
  caller: FakeUser;
  params: string[];
  query: URLSearchParams;
  body: any;
}
export interface Route {
  method: string;
  path: RegExp;
  status?: number;
  handle(call: Call): unknown;
}

export const ID = '([a-z0-9]{26})';
export const OK = { status: 'OK' };
export const isSystemAdmin = (u: FakeUser): boolean => u.roles.split(' ').includes('system_admin');

export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
  ) {
    super(id);
  }
}
