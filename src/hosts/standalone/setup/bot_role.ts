/**
 * The bot's role (README "Standalone host: which bot"): 'regular' by default,
 * 'admin' only when chosen with `--bot-role admin`. The choice is recorded in
 * the installation, so the service knows whether its own team sync runs and a
 * later setup keeps it unless told otherwise.
 */
import type { BotRole, Installation } from '../ports.js';

export const DEFAULT_BOT_ROLE: BotRole = 'regular';

/** The Mattermost roles setup gives the bot for each choice. */
export const MATTERMOST_ROLES: Readonly<Record<BotRole, string>> = { regular: 'system_user', admin: 'system_user system_admin' };

/** A record made before the choice existed had an admin bot: that is what its bot still holds. */
export function botRoleOf(installation: Pick<Installation, 'bot_role'>): BotRole {
  return installation.bot_role ?? 'admin';
}

/** What this setup run gives the bot: the flag, else what was chosen before, else the default. */
export function chosenBotRole(flag: BotRole | undefined, stored: Installation | undefined): BotRole {
  return flag ?? (stored ? botRoleOf(stored) : DEFAULT_BOT_ROLE);
}

export const hasAdminRole = (roles: string): boolean => roles.split(' ').includes('system_admin');
