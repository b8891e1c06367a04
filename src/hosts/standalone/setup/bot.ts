/**
 * The bot: created once, re-enabled after --remove, given the roles of the
 * chosen bot role (README "Standalone host: which bot"), and a working access
 * token. A stored token is kept while GET /users/me as the bot accepts it.
 */
import type { UserProfile } from '@mattermost/types/users';
import type { BotRole, Installation } from '../ports.js';
import { hasAdminRole, MATTERMOST_ROLES } from './bot_role.js';
import { unless404, type SetupContext } from './context.js';
import { BOT_DESCRIPTION, BOT_DISPLAY_NAME, BOT_TOKEN_DESCRIPTION, BOT_USERNAME, secretHint } from './names.js';

export interface BotState {
  userId: string;
  /** Undefined in check mode when no working token is stored. */
  token: string | undefined;
}

const RUN_SETUP = 'run oauth2-connect setup';

export async function ensureBot(ctx: SetupContext, stored: Installation | undefined, role: BotRole): Promise<BotState | undefined> {
  const found = await findOrCreateBot(ctx);
  const user = found && (await ensureBotRoles(ctx, found, role));
  if (!user) return undefined;
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

/** The bot to go on with: this one, or a new one when this admin bot had to be retired. */
async function ensureBotRoles(ctx: SetupContext, user: UserProfile, role: BotRole): Promise<UserProfile | undefined> {
  const isAdmin = hasAdminRole(user.roles);
  if (role === 'admin' ? isAdmin : !isAdmin) {
    ctx.report.ok(role === 'admin' ? `the bot holds system_admin (--bot-role admin)` : `the bot is a regular user (--bot-role regular)`);
    return user;
  }
  if (!ctx.apply) {
    ctx.report.problem(
      role === 'admin'
        ? `the bot @${BOT_USERNAME} lacks the system_admin role that --bot-role admin gives it`
        : `the bot @${BOT_USERNAME} holds system_admin, which --bot-role regular takes away`,
      `${RUN_SETUP} --bot-role ${role}`,
    );
    return user;
  }
  if (role === 'regular') return demoteBot(ctx, user);
  await ctx.admin.updateUserRoles(user.id, MATTERMOST_ROLES.admin);
  ctx.report.did(`gave the bot the roles "${MATTERMOST_ROLES.admin}" (--bot-role admin)`);
  return user;
}

export const isLastAdminRefusal = (err: unknown): boolean => (err as { server_error_id?: string }).server_error_id === 'app.user.update.lastAdmin.app_error';

async function demoteBot(ctx: SetupContext, user: UserProfile): Promise<UserProfile | undefined> {
  try {
    await ctx.admin.updateUserRoles(user.id, MATTERMOST_ROLES.regular);
    ctx.report.did(`took the system_admin role from the bot @${BOT_USERNAME} (--bot-role regular)`);
    return user;
  } catch (err) {
    if (!isLastAdminRefusal(err)) throw err;
  }
  await retireBot(ctx, user);
  return findOrCreateBot(ctx);
}

/**
 * Mattermost refuses to demote any system admin while one person is the only
 * one (its count leaves bots out), so an admin bot cannot lose the role then.
 * Instead it loses its tokens, its name and its account (disabled, its posts
 * stay), and a new regular bot takes the name.
 */
async function retireBot(ctx: SetupContext, user: UserProfile): Promise<void> {
  await revokeSetupTokens(ctx, user.id, true);
  const retired = `${BOT_USERNAME}-retired-${user.id.slice(0, 8)}`;
  await ctx.admin.patchBot(user.id, { username: retired });
  await ctx.admin.disableBot(user.id);
  ctx.report.did(
    `Mattermost keeps system_admin on a bot while one person is the only system admin, so the admin bot was retired: its tokens revoked, renamed @${retired}, disabled (its posts stay)`,
  );
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

/** Tokens an earlier setup made and whose value is lost (or, with `all`, every token of a retired bot): nobody should hold them. */
export async function revokeSetupTokens(ctx: SetupContext, botUserId: string, all = false): Promise<void> {
  const tokens = await ctx.admin.getUserAccessTokensForUser(botUserId, 0, 200);
  for (const t of tokens.filter((x) => (all || x.description === BOT_TOKEN_DESCRIPTION) && x.is_active)) {
    await ctx.admin.revokeUserAccessToken(t.id);
    ctx.report.did(`revoked an earlier bot token (id ${t.id})`);
  }
}
