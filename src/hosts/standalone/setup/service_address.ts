/**
 * What setup records on the bot's user record: the service's address, where
 * the webapp plugin learns it, and the installation id (installation_owner.ts).
 * Every user can read a user record (GET /users/username/{name}, props
 * included), and only a system admin can change it: patching another user
 * takes edit_other_users (and manage_system for an admin bot). The plugin
 * opens a connect link only at this address, never at one a command answer
 * names: a team admin can point the team's `/oauth2` at a server of their
 * own, but cannot write this prop.
 */
import type { SetupContext } from './context.js';
import { BOT_USERNAME, INSTALLATION_ID_PROP, SERVICE_URL_PROP } from './names.js';

const RUN_SETUP = 'run oauth2-connect setup';

interface Change {
  prop: string;
  value: string;
  /** The report line once written. */
  did: string;
  /** The problem line in check mode. */
  missing: string;
}

function changesFor(ctx: SetupContext, props: Record<string, unknown>, installationId: string | undefined): Change[] {
  const changes: Change[] = [];
  const address = props[SERVICE_URL_PROP];
  if (address === ctx.urls.root) ctx.report.ok(`@${BOT_USERNAME} tells the webapp plugin the service's address ${ctx.urls.root}`);
  else {
    const was = address ? `it says ${String(address)}` : 'it says none';
    changes.push({
      prop: SERVICE_URL_PROP,
      value: ctx.urls.root,
      did: `recorded the service's address ${ctx.urls.root} on @${BOT_USERNAME} for the webapp plugin (${was} before)`,
      missing: `@${BOT_USERNAME} does not tell the webapp plugin the service's address ${ctx.urls.root} (${was})`,
    });
  }
  const named = props[INSTALLATION_ID_PROP];
  if (installationId !== undefined && named === installationId) ctx.report.ok(`@${BOT_USERNAME} names installation ${installationId}`);
  else {
    changes.push({
      prop: INSTALLATION_ID_PROP,
      value: installationId ?? '',
      did: `recorded installation ${installationId} on @${BOT_USERNAME} (it named ${named ? String(named) : 'none'} before)`,
      missing: `@${BOT_USERNAME} does not name the installation of this storage (${installationId ?? 'no installation id is stored yet'})`,
    });
  }
  return changes;
}

/**
 * Records `APP_ROOT_URL` and the installation id on the bot (`botUserId` undefined: there is no bot yet,
 * which ensureBot reported). Runs after the installation is stored, so Mattermost never names an id the
 * storage does not hold.
 */
export async function ensureBotRecord(ctx: SetupContext, botUserId: string | undefined, installationId: string | undefined): Promise<void> {
  if (!botUserId) return;
  const props = (await ctx.admin.getUser(botUserId)).props ?? {};
  const changes = changesFor(ctx, props, installationId);
  if (!ctx.apply) {
    for (const change of changes) ctx.report.problem(change.missing, RUN_SETUP);
    return;
  }
  if (changes.length === 0) return;
  await ctx.admin.patchUser({ id: botUserId, props: { ...props, ...Object.fromEntries(changes.map((c) => [c.prop, c.value])) } });
  for (const change of changes) ctx.report.did(change.did);
}
