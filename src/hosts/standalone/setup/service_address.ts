/**
 * Where the webapp plugin learns the service's address: a prop on the bot's
 * user record. Every user can read a user record (GET /users/username/{name},
 * props included), and only a system admin can change it: patching another
 * user takes edit_other_users (and manage_system for an admin bot). The plugin opens a connect link only at this address,
 * never at one a command answer names: a team admin can point the team's
 * `/oauth2` at a server of their own, but cannot write this prop.
 */
import type { SetupContext } from './context.js';
import { BOT_USERNAME, SERVICE_URL_PROP } from './names.js';

/** Records `APP_ROOT_URL` on the bot (`botUserId` undefined: there is no bot yet, which ensureBot reported). */
export async function ensureServiceAddress(ctx: SetupContext, botUserId: string | undefined): Promise<void> {
  if (!botUserId) return;
  const props = (await ctx.admin.getUser(botUserId)).props ?? {};
  const recorded = props[SERVICE_URL_PROP];
  if (recorded === ctx.urls.root) return ctx.report.ok(`@${BOT_USERNAME} tells the webapp plugin the service's address ${ctx.urls.root}`);
  const was = recorded ? `it says ${recorded}` : 'it says none';
  if (!ctx.apply) {
    return ctx.report.problem(`@${BOT_USERNAME} does not tell the webapp plugin the service's address ${ctx.urls.root} (${was})`, 'run npm run setup');
  }
  await ctx.admin.patchUser({ id: botUserId, props: { ...props, [SERVICE_URL_PROP]: ctx.urls.root } });
  ctx.report.did(`recorded the service's address ${ctx.urls.root} on @${BOT_USERNAME} for the webapp plugin (${was} before)`);
}
