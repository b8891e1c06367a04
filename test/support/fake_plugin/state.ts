/**
 * The in-memory state of the fake Mattermost server + Apps plugin: users and
 * their sessions, the installed App, plugin-issued App sessions, KV, the
 * oauth2 stores, OAuth2 states, posts and refresh events.
 */
import { randomBytes } from 'node:crypto';

export interface FakeUser {
  id: string;
  username: string;
  email: string;
  roles: string;
  is_bot: boolean;
}

export interface InstalledApp {
  manifest: Record<string, any>;
  rootUrl: string;
  useJwt: boolean;
  jwtSecret: string;
  botUserId: string;
}

/** One request the App made to the fake (what round-trip counts are measured on). */
export interface AppRequest {
  method: string;
  path: string;
  userId: string;
  isBot: boolean;
  status: number;
}

const ID_CHARS = 'abcdefghijkmnopqrstuwxyz13456789';
export const newId = (): string => Array.from(randomBytes(26), (b) => ID_CHARS[b % ID_CHARS.length]).join('');

export class FakeState {
  users = new Map<string, FakeUser>();
  /** Login sessions (browser cookie MMAUTHTOKEN or Bearer): token -> user id. */
  sessions = new Map<string, string>();
  /** Plugin-issued App sessions: token -> {user id, bot?}. */
  appTokens = new Map<string, { userId: string; isBot: boolean }>();
  kv = new Map<string, string>();
  oauth2App: { client_id: string; client_secret: string; remote_root_url?: string; data?: unknown } | undefined;
  oauth2User = new Map<string, string>();
  states = new Map<string, { userId: string; expiresAt: number }>();
  channels = new Map<string, string>();
  posts: Array<{ channel_id: string; user_id: string; message: string }> = [];
  refreshEvents: string[] = [];
  appRequests: AppRequest[] = [];
  app: InstalledApp | undefined;
  /**
   * The context's mattermost_site_url when the App reaches the server through
   * something in front of it (the security suite's proxy); the site URL otherwise.
   */
  announcedSiteUrl: string | undefined;

  constructor(readonly now: () => number) {}

  addUser(username: string, roles: string, isBot = false): FakeUser {
    const user: FakeUser = { id: newId(), username, email: `${username}@example.com`, roles, is_bot: isBot };
    this.users.set(user.id, user);
    return user;
  }

  /** CSRF tokens of the login sessions (the MMCSRF cookie). */
  csrf = new Map<string, string>();

  login(userId: string): string {
    const token = newId();
    this.sessions.set(token, userId);
    this.csrf.set(token, newId());
    return token;
  }

  issueAppToken(userId: string, isBot: boolean): string {
    const token = newId();
    this.appTokens.set(token, { userId, isBot });
    return token;
  }

  /** Keys are scoped per (app, token user, prefix, key), as the plugin hashes them. */
  kvKey(userId: string, prefix: string, key: string): string {
    return `${userId}\u0000${prefix}\u0000${key}`;
  }

  /** The bot's DM channel with a user, created on first use. */
  directChannel(a: string, b: string): string {
    const name = [a, b].sort().join('__');
    let id = this.channels.get(name);
    if (!id) {
      id = newId();
      this.channels.set(name, id);
    }
    return id;
  }

  /** Messages in the DM channel between the App's bot and a user. */
  dmsTo(userId: string): string[] {
    if (!this.app) return [];
    const channel = this.channels.get([this.app.botUserId, userId].sort().join('__'));
    return this.posts.filter((p) => p.channel_id === channel).map((p) => p.message);
  }
}
