/**
 * `oauth2-connect setup` as a function: checks what the standalone host needs, then
 * creates or updates the bot (with the chosen role) and its token, the
 * Sign-in OAuth app and `/oauth2` in every team, and tells the system admins
 * what it found changed there. Idempotent; 'check' only reports. The admin
 * token is used for this run only and never stored.
 */
import { createMattermostClient, type MattermostClient4 } from '../client4.js';
import type { BotRole, Installation, InstallationStore } from '../ports.js';
import { alertSystemAdmins } from './admin_alert.js';
import { appsPluginActive } from './apps_plugin.js';
import { ensureBot, type BotState } from './bot.js';
import { chosenBotRole } from './bot_role.js';
import type { SetupContext } from './context.js';
import { BOT_USERNAME, serviceUrls } from './names.js';
import { checkAdmin, checkManageOAuth, checkSettings } from './preflight.js';
import { removeInstallation } from './remove.js';
import { SetupReport } from './report.js';
import { claimInstallation } from './installation_owner.js';
import { ensureBotRecord } from './service_address.js';
import { ensureSigninApp } from './signin_app.js';
import { syncTeams } from './team_sync.js';
import { trimTrailingSlashes } from '../../../util/trim_slashes.js';

export type SetupMode = 'apply' | 'check' | 'remove';

export interface SetupOptions {
  adminToken: string;
  /** APP_MATTERMOST_URL: the only Mattermost address called. */
  mattermostUrl: string;
  /** APP_ROOT_URL: the service's public address, which the command and callback point at. */
  rootUrl: string;
  store: InstallationStore;
  /** The storage the store is in, for messages (kind and where, any password masked). */
  storage?: string;
  mode: SetupMode;
  /** `--force`: go on when Mattermost names an installation this storage does not hold (take it over). */
  force?: boolean;
  /** `--bot-role`; default: what an earlier setup chose, else 'regular'. */
  botRole?: BotRole;
  now?: () => number;
  /** Test seam; defaults to createMattermostClient. */
  makeClient?: (url: string, token: string) => MattermostClient4;
}

export function setupContext(options: SetupOptions): SetupContext {
  const makeClient = options.makeClient ?? createMattermostClient;
  const mattermostUrl = trimTrailingSlashes(options.mattermostUrl);
  return {
    admin: makeClient(mattermostUrl, options.adminToken),
    clientFor: (token) => makeClient(mattermostUrl, token),
    store: options.store,
    storage: options.storage ?? 'the given installation store',
    mattermostUrl,
    urls: serviceUrls(options.rootUrl),
    apply: options.mode === 'apply',
    report: new SetupReport(),
    now: options.now ?? Date.now,
  };
}

export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const ctx = setupContext(options);
  const adminId = await checkAdmin(ctx);
  if (!adminId) return ctx.report;
  ctx.report.actorUserId = adminId;
  const force = options.force ?? false;
  if (options.mode === 'remove') {
    // Removing from another storage would take the running service's bot token and sign-in app away too.
    if (await claimInstallation(ctx, await ctx.store.getInstallation(), force)) await removeInstallation(ctx);
    return ctx.report;
  }
  await checkSettings(ctx);
  await checkManageOAuth(ctx);
  if (!ctx.report.healthy) return ctx.report; // nothing is changed while a setting is wrong
  await installObjects(ctx, adminId, options.botRole, force);
  return ctx.report;
}

async function storedInstallation(ctx: SetupContext): Promise<Installation | undefined> {
  const stored = await ctx.store.getInstallation();
  if (!stored || stored.mattermost_url === ctx.mattermostUrl) return stored;
  ctx.report.ok(`the stored installation was made for ${stored.mattermost_url}; it is replaced for ${ctx.mattermostUrl}`);
  return undefined;
}

async function installObjects(ctx: SetupContext, adminId: string, roleFlag: BotRole | undefined, force: boolean): Promise<void> {
  const found = await storedInstallation(ctx);
  const claim = await claimInstallation(ctx, found, force);
  if (!claim) return; // another storage's installation: its bot token and secret stay untouched
  const { stored, installationId } = claim;
  const role = chosenBotRole(roleFlag, found);
  // Applying stops at the first object it could not make (the next ones need it); --check goes on, so
  // one run lists everything that is missing (without a bot, no team has its command: each is reported).
  const bot = await ensureBot(ctx, stored, role);
  if (!bot && ctx.apply) return;
  const app = await ensureSigninApp(ctx, stored);
  if (!app && ctx.apply) return;
  // An answer that could not be read keeps what an earlier run recorded.
  const appsPlugin = (await appsPluginActive(ctx)) ?? stored?.apps_plugin;
  if (ctx.apply && bot?.token && app?.clientSecret) {
    const fields = { ...botFields(bot.userId, bot.token, role), oauth_client_id: app.clientId, oauth_client_secret: app.clientSecret };
    await saveInstallation(ctx, stored, { ...fields, installation_id: installationId, ...(appsPlugin !== undefined && { apps_plugin: appsPlugin }) });
  }
  await ensureBotRecord(ctx, bot?.userId, installationId);
  await syncTeamsAs(ctx, role, adminId, bot);
}

/** An admin bot makes the commands itself (as its team sync will); with a regular bot the admin running setup does. */
async function syncTeamsAs(ctx: SetupContext, role: BotRole, adminId: string, bot: BotState | undefined): Promise<void> {
  const botClient = bot?.token ? ctx.clientFor(bot.token) : undefined;
  const client = ctx.apply && role === 'admin' && botClient ? botClient : ctx.admin;
  const botUserId = bot?.userId ?? '';
  const creatorId = role === 'admin' ? botUserId : adminId;
  await syncTeams({ client, store: ctx.store, rootUrl: ctx.urls.root, botUserId, creatorId, apply: ctx.apply, report: ctx.report, now: ctx.now });
  if (!ctx.apply || !botClient || ctx.report.findings.length === 0) return;
  const outcome = await alertSystemAdmins(botClient, botUserId, ctx.report.findings, 'oauth2-connect setup');
  if (outcome.sent.length > 0) ctx.report.did(`told the system admins by direct message from the bot: ${outcome.sent.join(', ')}`);
  for (const failure of outcome.failed)
    ctx.report.problem(`the direct message to the system admins failed (${failure})`, 'check that the bot can send direct messages');
}

function botFields(userId: string, token: string, role: BotRole) {
  return { bot_user_id: userId, bot_username: BOT_USERNAME, bot_token: token, bot_role: role };
}

const COMPARED = [
  'mattermost_url',
  'bot_user_id',
  'bot_token',
  'bot_role',
  'oauth_client_id',
  'oauth_client_secret',
  'installation_id',
  'apps_plugin',
] as const;

const appsPluginWords = (recorded: boolean | undefined) =>
  recorded === undefined ? 'Apps plugin not known' : recorded ? 'Apps plugin active' : 'no Apps plugin';

async function saveInstallation(
  ctx: SetupContext,
  stored: Installation | undefined,
  fields: Omit<Installation, 'mattermost_url' | 'updated_at'>,
): Promise<void> {
  const next: Installation = { mattermost_url: ctx.mattermostUrl, ...fields, updated_at: ctx.now() };
  if (stored && COMPARED.every((k) => stored[k] === next[k])) return;
  await ctx.store.saveInstallation(next);
  ctx.report.did(
    `saved installation ${next.installation_id} in ${ctx.storage} (bot role ${next.bot_role}; ${appsPluginWords(next.apps_plugin)}; bot token and OAuth client secret sealed by the store)`,
  );
}
