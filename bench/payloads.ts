/**
 * What the Apps plugin sends the App, for the HTTP benchmark: the bindings
 * call (acting_user summary, oauth2_app with 3 providers, oauth2_user with 1
 * connection) and a command submit (/status of a user with no connection).
 * Shapes follow src/store/provider_records.ts and src/store/user_state.ts.
 */
import { SignJWT } from 'jose';
import type { StoredProvider } from '../src/core/provider_records.js';
import type { UserState } from '../src/hosts/apps/store/user_state.js';

export const SITE = 'https://mm.example.com';
export const APP_PATH = '/plugins/com.mattermost.apps/apps/oauth2-connect';
const USER_ID = 'u7k3mfq9zbdn8xw1ceyr4tjahs';
const BOT_ID = 'b9rwq4mzt1ckdx7pnfa3yes8gh';
const token = (seed: string) => `${seed}${'x'.repeat(26 - seed.length)}`;
const sealed = (n: number) => `v1.k1.${'A'.repeat(16)}.${'B'.repeat(40 + n)}`;

function provider(id: string, display: string, preset: StoredProvider['preset'], extra: Partial<StoredProvider>, n: number): StoredProvider {
  const at = 1_760_000_000_000 + n * 86_400_000;
  return {
    id,
    display_name: display,
    preset,
    client_id: `${id}-client-${'c'.repeat(20)}`,
    sealed_secret: sealed(n),
    auth: 'client_secret_basic',
    scopes: [],
    created_at: at,
    updated_at: at,
    ...extra,
  };
}

export const PROVIDERS: StoredProvider[] = [
  provider('github', 'GitHub', 'github', { scopes: ['read:user', 'user:email'] }, 1),
  provider('gitlab', 'GitLab', 'gitlab', { base_url: 'https://gitlab.example.com', scopes: ['read_user', 'openid'] }, 2),
  provider(
    'corp-sso',
    'Corp SSO',
    'oidc',
    { issuer: 'https://sso.example.com/realms/corp', scopes: ['openid', 'profile', 'email', 'offline_access'], params: { prompt: 'consent' } },
    3,
  ),
];

const CONNECTED: UserState = {
  v: 1,
  connections: { github: { label: 'jane-doe', sub: '583231', since: 1_762_000_000_000, expires_at: 1_762_028_800_000 } },
  flows: [],
  dm: 'd4c8n2m7qr5tzw1kxbe9yfag3h',
};

function actingUser(roles: string) {
  return {
    id: USER_ID,
    delete_at: 0,
    username: 'jane',
    auth_data: '',
    auth_service: '',
    email: 'jane@example.com',
    nickname: '',
    first_name: 'Jane',
    last_name: 'Doe',
    position: '',
    roles,
    locale: 'en',
    is_bot: false,
    bot_description: '',
    timezone: { automaticTimezone: 'Europe/Berlin', manualTimezone: '', useAutomaticTimezone: 'true' },
    create_at: 0,
    update_at: 0,
    email_verified: false,
    notify_props: null,
    last_password_update: 0,
    last_picture_update: 0,
    failed_attempts: 0,
    mfa_active: false,
    terms_of_service_id: '',
    terms_of_service_create_at: 0,
    disable_welcome_email: false,
  };
}

function baseContext() {
  return {
    app_id: '',
    mattermost_site_url: SITE,
    app_path: APP_PATH,
    bot_user_id: BOT_ID,
    bot_access_token: token('bot'),
    acting_user: actingUser('system_user'),
  };
}

const oauth2App = () => ({
  client_id: 'oauth2-connect',
  client_secret: '',
  data: { v: 1, providers: PROVIDERS },
  connect_url: `${SITE}${APP_PATH}/oauth2/remote/connect`,
  complete_url: `${SITE}${APP_PATH}/oauth2/remote/complete`,
});

/** POST /bindings as the plugin sends it (manifest's bindings expand). */
export const bindingsBody = (): string =>
  JSON.stringify({
    path: '/bindings',
    expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
    context: { ...baseContext(), acting_user_access_token: token('usr'), oauth2: { ...oauth2App(), user: CONNECTED } },
  });

/** The /oauth2 status submit of a user with no connection: no round trip, so only the App is measured. */
export const statusBody = (): string =>
  JSON.stringify({
    path: '/status',
    expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
    values: {},
    raw_command: '/oauth2 status',
    context: { ...baseContext(), acting_user_access_token: token('usr'), oauth2: oauth2App() },
  });

export const ACTING_USER_ID = USER_ID;

/** The plugin's JWT (HS256, exp, acting_user_id), one for the whole run as autocannon repeats headers. */
export async function pluginJwt(secret: string): Promise<string> {
  return new SignJWT({ acting_user_id: USER_ID })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(Buffer.from(secret, 'utf8'));
}
