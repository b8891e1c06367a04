/**
 * What setup needs before it changes anything: an admin token, the server
 * settings the standalone host relies on, and the manage_oauth permission.
 * A blocking problem stops setup before its first write.
 */
import { trimTrailingSlashes } from '../../../util/trim_slashes.js';
import { statusOf, type SetupContext } from './context.js';

interface ServiceSettings {
  SiteURL?: string;
  EnableCommands?: boolean;
  EnableBotAccountCreation?: boolean;
  EnableOAuthServiceProvider?: boolean;
  AllowedUntrustedInternalConnections?: string;
}

const SETTINGS: Array<{ key: keyof ServiceSettings; why: string }> = [
  { key: 'EnableCommands', why: 'custom slash commands (/oauth2) are off' },
  { key: 'EnableBotAccountCreation', why: 'bot accounts cannot be created' },
  { key: 'EnableOAuthServiceProvider', why: 'Mattermost is not an OAuth 2.0 provider, so Sign in with Mattermost cannot work' },
];

const envName = (key: string) => `MM_SERVICESETTINGS_${key.toUpperCase()}`;

/** Returns the admin's user id, or undefined when the token is not a system admin's (reported). */
export async function checkAdmin(ctx: SetupContext): Promise<string | undefined> {
  let me;
  try {
    me = await ctx.admin.getMe();
  } catch (err) {
    if (statusOf(err) !== 401) throw err; // a network failure is reported as such by the caller
    ctx.report.problem(
      'the admin token was refused by Mattermost (GET /api/v4/users/me failed)',
      `check MM_ADMIN_TOKEN and that ${ctx.mattermostUrl} is the Mattermost URL`,
    );
    return undefined;
  }
  if (!me.roles.split(' ').includes('system_admin')) {
    ctx.report.problem(
      `the token given belongs to @${me.username}, who is not a system admin`,
      'run setup with a personal access token of a system admin (System Console > Users)',
    );
    return undefined;
  }
  ctx.report.ok(`admin token of @${me.username} (system admin)`);
  return me.id;
}

export async function checkSettings(ctx: SetupContext): Promise<void> {
  const config = (await ctx.admin.getConfig()) as unknown as { ServiceSettings?: ServiceSettings };
  const service = config.ServiceSettings ?? {};
  const siteUrl = service.SiteURL ? trimTrailingSlashes(service.SiteURL) : undefined;
  if (!siteUrl) {
    ctx.report.problem(
      'ServiceSettings.SiteURL is empty: every custom slash command fails with 400',
      `set SiteURL (${envName('SiteURL')}) to ${ctx.mattermostUrl}`,
    );
  } else if (siteUrl !== ctx.mattermostUrl) {
    ctx.report.ok(`SiteURL is ${siteUrl}; the service calls ${ctx.mattermostUrl} (APP_MATTERMOST_URL)`);
  }
  for (const { key, why } of SETTINGS) {
    if (service[key] !== true) ctx.report.problem(`ServiceSettings.${key} is off: ${why}`, `set ${key}=true (${envName(key)}=true, or System Console)`);
  }
  checkReachability(ctx, service.AllowedUntrustedInternalConnections ?? '');
}

const PRIVATE_HOST = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|\[?::1\]?$|\[?f[cd])/i;

/** Mattermost refuses to call private addresses unless they are allow-listed. */
function checkReachability(ctx: SetupContext, allowed: string): void {
  const host = new URL(ctx.urls.root).hostname;
  if (!PRIVATE_HOST.test(host)) return;
  const entries = allowed.split(/[\s,]+/).filter(Boolean);
  if (entries.includes(host) || entries.some((e) => e.includes('/'))) return;
  ctx.report.problem(
    `the service's root URL ${ctx.urls.root} is a private address and not in AllowedUntrustedInternalConnections: Mattermost will refuse to call /oauth2`,
    `add ${host} to ServiceSettings.AllowedUntrustedInternalConnections (${envName('AllowedUntrustedInternalConnections')})`,
  );
}

/** POST /oauth/apps needs manage_oauth; some builds give it to no role (docs/mattermost.md, "Roles, teams and permissions"). */
export async function checkManageOAuth(ctx: SetupContext): Promise<void> {
  const role = await ctx.admin.getRoleByName('system_admin');
  if (role.permissions.includes('manage_oauth')) return;
  ctx.report.problem(
    'the system_admin role lacks the manage_oauth permission, so the Sign-in OAuth app cannot be created',
    `grant it: PUT /api/v4/roles/${role.id}/patch with the role's permissions plus "manage_oauth" (System Console > Permissions > Integrations > Manage OAuth 2.0 applications)`,
  );
}
