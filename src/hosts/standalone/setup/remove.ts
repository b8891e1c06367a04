/**
 * `oauth2-connect setup --remove`: deletes what setup made in Mattermost (the
 * commands, the Sign-in OAuth app), disables the bot after revoking its
 * tokens and its admin role, then forgets the installation records.
 */
import { unless404, type SetupContext } from './context.js';
import { isLastAdminRefusal, revokeSetupTokens } from './bot.js';
import { BOT_USERNAME, COMMAND_TRIGGER, INSTALLATION_ID_PROP, SIGNIN_APP_NAME } from './names.js';
import { listAllTeams } from './team_sync.js';

export async function removeInstallation(ctx: SetupContext): Promise<void> {
  const stored = await ctx.store.getInstallation();
  const bot = await unless404(() => ctx.admin.getUserByUsername(BOT_USERNAME));
  const botUserId = bot?.is_bot ? bot.id : stored?.bot_user_id;
  await removeCommands(ctx, botUserId);
  await removeSigninApp(ctx, stored?.oauth_client_id);
  if (bot?.is_bot) {
    await forgetInstallationId(ctx, bot.id);
    await revokeSetupTokens(ctx, bot.id);
    if (bot.roles !== 'system_user') await dropAdminRole(ctx, bot.id);
    if (bot.delete_at === 0) {
      await ctx.admin.disableBot(bot.id);
      ctx.report.did(`disabled the bot @${BOT_USERNAME} (its posts stay)`);
    }
  }
  for (const record of await ctx.store.listCommands()) await ctx.store.deleteCommand(record.team_id);
  await ctx.store.deleteInstallation();
  ctx.report.did('deleted the installation records');
}

/** The bot no longer names an installation, so a later setup on any storage starts a new one. */
async function forgetInstallationId(ctx: SetupContext, botUserId: string): Promise<void> {
  const props = (await ctx.admin.getUser(botUserId)).props ?? {};
  if (!(INSTALLATION_ID_PROP in props)) return;
  const { [INSTALLATION_ID_PROP]: named, ...kept } = props;
  await ctx.admin.patchUser({ id: botUserId, props: kept });
  ctx.report.did(`@${BOT_USERNAME} no longer names installation ${String(named)}`);
}

/**
 * Mattermost refuses to demote a system admin when it is the last one, and a
 * real server counts only people: with one human admin, the bot keeps the role
 * (harmless once disabled, its tokens revoked).
 */
async function dropAdminRole(ctx: SetupContext, botUserId: string): Promise<void> {
  try {
    await ctx.admin.updateUserRoles(botUserId, 'system_user');
    ctx.report.did(`took the system_admin role from the bot @${BOT_USERNAME}`);
  } catch (err) {
    if (!isLastAdminRefusal(err)) throw err;
    ctx.report.ok(
      `Mattermost keeps the system_admin role on @${BOT_USERNAME} ("Cannot demote last System Admin": it counts only active people, not bots); the bot is disabled and has no token`,
    );
  }
}

async function removeCommands(ctx: SetupContext, botUserId: string | undefined): Promise<void> {
  const storedIds = new Set((await ctx.store.listCommands()).map((c) => c.command_id));
  for (const team of await listAllTeams(ctx.admin)) {
    const commands = await ctx.admin.getCustomTeamCommands(team.id);
    const ours = commands.filter((c) => storedIds.has(c.id) || (c.trigger === COMMAND_TRIGGER && c.creator_id === botUserId));
    for (const command of ours) {
      await ctx.admin.deleteCommand(command.id);
      ctx.report.did(`deleted /${command.trigger} in team "${team.name}"`);
    }
  }
}

async function removeSigninApp(ctx: SetupContext, storedId: string | undefined): Promise<void> {
  const apps = await ctx.admin.getOAuthApps(0, 200);
  const ours = apps.filter((a) => a.id === storedId || (a.name === SIGNIN_APP_NAME && a.callback_urls.includes(ctx.urls.signinCallback)));
  for (const app of ours) {
    await ctx.admin.deleteOAuthApp(app.id);
    ctx.report.did(`deleted the OAuth app "${app.name}" (client id ${app.id})`);
  }
}
