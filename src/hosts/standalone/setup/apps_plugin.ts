/**
 * Whether the Apps plugin (com.mattermost.apps) is active on the server, as
 * setup sees it with the admin's token (GET /api/v4/plugins). Setup records the
 * answer with the installation; without APP_HOSTS the service then serves the
 * Apps host only where the server can use it (src/served_hosts.ts), so a server
 * without the plugin gets neither its routes nor the warnings about its secret.
 */
import { statusOf, type SetupContext } from './context.js';

export const APPS_PLUGIN_ID = 'com.mattermost.apps';

/** true or false as Mattermost answers; undefined when it could not tell (reported). */
export async function appsPluginActive(ctx: SetupContext): Promise<boolean | undefined> {
  let active: boolean;
  try {
    const plugins = await ctx.admin.getPlugins();
    active = plugins.active.some((plugin) => plugin.id === APPS_PLUGIN_ID);
  } catch (err) {
    const status = statusOf(err);
    if (status === undefined) throw err; // no answer at all: reported as Mattermost being unreachable
    // 501: plugins are off on this server (PluginSettings.Enable), so no plugin runs.
    if (status === 501) active = false;
    else {
      ctx.report.ok(
        `could not tell whether the Apps plugin is active (GET /api/v4/plugins answered ${status}): the service serves both hosts unless APP_HOSTS says`,
      );
      return undefined;
    }
  }
  ctx.report.ok(
    active
      ? `the Apps plugin (${APPS_PLUGIN_ID}) is active: without APP_HOSTS the service serves both hosts`
      : `no Apps plugin is active on this server: without APP_HOSTS the service serves the standalone host only`,
  );
  return active;
}
