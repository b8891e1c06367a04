/**
 * The bot: created once, re-enabled after --remove, given the system_admin
 * role (README "Standalone host: setup" says why), and a working access
 * token. A stored token is kept while GET /users/me as the bot accepts it.
 */
import type { UserProfile } from '@mattermost/types/users';
import type { Installation } from '../ports.js';
import { unless404, type SetupContext } from './context.js';
import { BOT_DESCRIPTION, BOT_DISPLAY_NAME, BOT_TOKEN_DESCRIPTION, BOT_USERNAME, secretHint } from './names.js';

export const BOT_ROLES = 'system_user system_admin';

export interface BotState {
  userId: string;
  /** Undefined in check mode when no working token is stored. */
  token: string | undefined;
}

const RUN_SETUP = 'run npm run setup';

export async function ensureBot(ctx: SetupContext, stored: Installation | undefined): Promise<BotState | undefined> {
  const user = await findOrCreateBot(ctx);
  if (!user) return undefined;
  await ensureBotRoles(ctx, user);
  const token = await ensureBotToken(ctx, user.id, stored);
  return { userId: user.id, token };
}

async function findOrCreateBot(ctx: SetupContext): Promise<UserProfile | undefined> {
  const user = await unless404(() => ctx.admin.getUserByUsername(BOT_USERNAME));
  if (user && !user.is_bot) {
    ctx.report.problem(`the username @${BOT_USERNAME} belongs to a person, not a bot`, `rename or remove that user, then ${RUN_SETUP}`);
    return undefined;
  }
  if (!user) {
    if (!ctx.apply) return void ctx.report.problem(`the bot @${BOT_USERNAME} does not exist`, RUN_SETUP);
    const bot = await ctx.admin.createBot({ username: BOT_USERNAME, display_name: BOT_DISPLAY_NAME, description: BOT_DESCRIPTION });
    ctx.report.did(`created the bot @${BOT_USERNAME}`);
    return ctx.admin.getUser(bot.user_id);
  }
  if (user.delete_at > 0) {
    if (!ctx.apply) ctx.report.problem(`the bot @${BOT_USERNAME} is disabled`, RUN_SETUP);
    else {
      await ctx.admin.enableBot(user.id);
      ctx.report.did(`enabled the bot @${BOT_USERNAME} again`);
    }
  }
  await ensureBotProfile(ctx, user);
  return user;
}

async function ensureBotProfile(ctx: SetupContext, user: UserProfile): Promise<void> {
  const bot = await ctx.admin.getBot(user.id);
  if (bot.display_name === BOT_DISPLAY_NAME) return ctx.report.ok(`bot @${BOT_USERNAME}`);
  if (!ctx.apply) return ctx.report.problem(`the bot's display name is "${bot.display_name}"`, RUN_SETUP);
  await ctx.admin.patchBot(user.id, { display_name: BOT_DISPLAY_NAME });
  ctx.report.did(`renamed the bot to "${BOT_DISPLAY_NAME}"`);
}

async function ensureBotRoles(ctx: SetupContext, user: UserProfile): Promise<void> {
  if (user.roles.split(' ').includes('system_admin')) return;
  if (!ctx.apply) return ctx.report.problem(`the bot @${BOT_USERNAME} lacks the system_admin role (team sync needs it)`, RUN_SETUP);
  await ctx.admin.updateUserRoles(user.id, BOT_ROLES);
  ctx.report.did(`gave the bot the roles "${BOT_ROLES}"`);
}

async function tokenWorks(ctx: SetupContext, botUserId: string, token: string): Promise<boolean> {
  try {
    return (await ctx.clientFor(token).getMe()).id === botUserId;
  } catch (err) {
    if ((err as { status_code?: number }).status_code === 401) return false;
    throw err;
  }
}

async function ensureBotToken(ctx: SetupContext, botUserId: string, stored: Installation | undefined): Promise<string | undefined> {
  const kept = stored?.bot_user_id === botUserId ? stored.bot_token : undefined;
  if (kept && (await tokenWorks(ctx, botUserId, kept))) {
    ctx.report.ok(`stored bot token ${secretHint(kept)} works`);
    return kept;
  }
  const why = kept ? 'the stored bot token no longer works' : 'no bot token is stored';
  if (!ctx.apply) return void ctx.report.problem(why, RUN_SETUP);
  await revokeSetupTokens(ctx, botUserId);
  const made = await ctx.admin.createUserAccessToken(botUserId, BOT_TOKEN_DESCRIPTION);
  ctx.report.did(`${why}: made a new bot access token ${secretHint(made.token!)}`);
  return made.token!;
}

/** Tokens an earlier setup made and whose value is lost: nobody should hold them. */
export async function revokeSetupTokens(ctx: SetupContext, botUserId: string): Promise<void> {
  const tokens = await ctx.admin.getUserAccessTokensForUser(botUserId, 0, 200);
  for (const t of tokens.filter((x) => x.description === BOT_TOKEN_DESCRIPTION && x.is_active)) {
    await ctx.admin.revokeUserAccessToken(t.id);
    ctx.report.did(`revoked an earlier bot token (id ${t.id})`);
  }
}
