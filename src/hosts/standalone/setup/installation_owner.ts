/**
 * Whose installation the opened storage is. Setup gives each installation a
 * random id, kept in the installation row and on the bot's user record in
 * Mattermost. When Mattermost names an installation the opened storage does
 * not hold, this storage is not the running service's (another DATABASE_URL
 * or APP_DATA_DIR): a new bot token or sign-in secret made from here would
 * revoke the ones the service uses, so setup stops unless told `--force`.
 */
import { randomUUID } from 'node:crypto';
import type { Installation } from '../ports.js';
import { unless404, type SetupContext } from './context.js';
import { BOT_USERNAME, INSTALLATION_ID_PROP } from './names.js';

export interface Claim {
  /** The id this run records; undefined in check mode when neither side has one yet. */
  installationId: string | undefined;
  /** The stored installation to go on with: none when --force takes over, so the bot token and the secret are replaced. */
  stored: Installation | undefined;
}

const FIX =
  "point DATABASE_URL (PostgreSQL) or APP_DATA_DIR (SQLite) at the storage the running service uses, with the service's other settings, and run setup again; " +
  'or run setup with --force to make this storage the installation (a new bot token and sign-in secret replace the ones the running service uses)';

/** The installation id Mattermost names on the bot, if any. */
async function namedInMattermost(ctx: SetupContext): Promise<string | undefined> {
  const bot = await unless404(() => ctx.admin.getUserByUsername(BOT_USERNAME));
  const named = bot?.is_bot ? bot.props?.[INSTALLATION_ID_PROP] : undefined;
  return typeof named === 'string' && named !== '' ? named : undefined;
}

/** undefined: this storage is not the installation's and no --force was given (reported as a problem; change nothing). */
export async function claimInstallation(ctx: SetupContext, stored: Installation | undefined, force: boolean): Promise<Claim | undefined> {
  const named = await namedInMattermost(ctx);
  const held = stored?.installation_id;
  if (named === undefined || named === held) {
    const holds = held ? `installation ${held}` : 'no installation yet';
    ctx.report.ok(`the storage opened (${ctx.storage}) holds ${holds}${named ? ', the one Mattermost names' : ', and Mattermost names none'}`);
    return { installationId: held ?? (ctx.apply ? randomUUID() : undefined), stored };
  }
  const holds = held ? `installation ${held}` : 'no installation';
  if (!force) {
    ctx.report.problem(
      `Mattermost names installation ${named} (on @${BOT_USERNAME}), but the storage opened (${ctx.storage}) holds ${holds}: ` +
        "it is not the running service's storage, so setup changes nothing (a new bot token or sign-in secret, or a removal, would cut the service off)",
      FIX,
    );
    return undefined;
  }
  if (!ctx.apply) return { installationId: undefined, stored: undefined };
  ctx.report.did(`--force: the storage opened (${ctx.storage}, which held ${holds}) takes over installation ${named} as a new installation`);
  return { installationId: randomUUID(), stored: undefined };
}
