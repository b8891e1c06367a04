/**
 * `npm run setup` as a function: checks what the standalone host needs, then
 * creates or updates the bot and its token, the Sign-in OAuth app and
 * `/oauth2` in every team. Idempotent; 'check' only reports. The admin token
 * is used for this run only and never stored.
 */
import { createMattermostClient, type MattermostRestClient } from '../../../mattermost/client4.js';
import type { Installation, InstallationStore } from '../ports.js';
import { ensureBot } from './bot.js';
import type { SetupContext } from './context.js';
import { BOT_USERNAME, serviceUrls } from './names.js';
import { checkAdmin, checkManageOAuth, checkSettings } from './preflight.js';
import { removeInstallation } from './remove.js';
import { SetupReport } from './report.js';
import { ensureServiceAddress } from './service_address.js';
import { ensureSigninApp } from './signin_app.js';
import { syncTeams } from './team_sync.js';

export type SetupMode = 'apply' | 'check' | 'remove';

export interface SetupOptions {
  adminToken: string;
  /** APP_MATTERMOST_URL: the only Mattermost address called. */
  mattermostUrl: string;
  /** APP_ROOT_URL: the service's public address, which the command and callback point at. */
  rootUrl: string;
  store: InstallationStore;
  mode: SetupMode;
  now?: () => number;
  /** Test seam; defaults to createMattermostClient. */
  makeClient?: (url: string, token: string) => MattermostRestClient;
}

export function setupContext(options: SetupOptions): SetupContext {
  const makeClient = options.makeClient ?? createMattermostClient;
  const mattermostUrl = options.mattermostUrl.replace(/\/+$/, '');
  return {
    admin: makeClient(mattermostUrl, options.adminToken),
    clientFor: (token) => makeClient(mattermostUrl, token),
    store: options.store,
    mattermostUrl,
    urls: serviceUrls(options.rootUrl),
    apply: options.mode === 'apply',
    report: new SetupReport(),
    now: options.now ?? Date.now,
  };
}

export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const ctx = setupContext(options);
  if (!(await checkAdmin(ctx))) return ctx.report;
  if (options.mode === 'remove') {
    await removeInstallation(ctx);
    return ctx.report;
  }
  await checkSettings(ctx);
  await checkManageOAuth(ctx);
  if (!ctx.report.healthy) return ctx.report; // nothing is changed while a setting is wrong
  await installObjects(ctx);
  return ctx.report;
}

async function storedInstallation(ctx: SetupContext): Promise<Installation | undefined> {
  const stored = await ctx.store.getInstallation();
  if (!stored || stored.mattermost_url === ctx.mattermostUrl) return stored;
  ctx.report.ok(`the stored installation was made for ${stored.mattermost_url}; it is replaced for ${ctx.mattermostUrl}`);
  return undefined;
}

async function installObjects(ctx: SetupContext): Promise<void> {
  const stored = await storedInstallation(ctx);
  // Applying stops at the first object it could not make (the next ones need it); --check goes on, so
  // one run lists everything that is missing (without a bot, no team has its command: each is reported).
  const bot = await ensureBot(ctx, stored);
  if (!bot && ctx.apply) return;
  await ensureServiceAddress(ctx, bot?.userId);
  const app = await ensureSigninApp(ctx, stored);
  if (!app && ctx.apply) return;
  if (ctx.apply && bot?.token && app?.clientSecret) await saveInstallation(ctx, stored, bot.userId, bot.token, app.clientId, app.clientSecret);
  const client = ctx.apply && bot?.token ? ctx.clientFor(bot.token) : ctx.admin;
  const botUserId = bot?.userId ?? '';
  await syncTeams({ client, store: ctx.store, rootUrl: ctx.urls.root, botUserId, apply: ctx.apply, report: ctx.report, now: ctx.now });
}

async function saveInstallation(
  ctx: SetupContext,
  stored: Installation | undefined,
  botUserId: string,
  botToken: string,
  clientId: string,
  clientSecret: string,
): Promise<void> {
  const next: Installation = {
    mattermost_url: ctx.mattermostUrl,
    bot_user_id: botUserId,
    bot_username: BOT_USERNAME,
    bot_token: botToken,
    oauth_client_id: clientId,
    oauth_client_secret: clientSecret,
    updated_at: ctx.now(),
  };
  const same =
    stored && (['mattermost_url', 'bot_user_id', 'bot_token', 'oauth_client_id', 'oauth_client_secret'] as const).every((k) => stored[k] === next[k]);
  if (same) return;
  await ctx.store.saveInstallation(next);
  ctx.report.did('saved the installation (bot token and OAuth client secret, sealed by the store)');
}
