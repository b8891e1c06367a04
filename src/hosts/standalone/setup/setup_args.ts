/** The options of `oauth2-connect setup` and the usage text that explains them. */
import { parseArgs } from 'node:util';
import { isBotRole, type BotRole } from '../ports.js';
import type { SetupMode } from './setup.js';

export const USAGE = `usage: oauth2-connect setup [--check | --sync | --remove] [--bot-role regular|admin] [--force]
       (in a checkout, from the sources: npm run setup -- [options])
Setup reads the service's configuration (the same environment as oauth2-connect start: APP_MATTERMOST_URL,
APP_ROOT_URL, DATABASE_URL or APP_DATA_DIR, APP_ENCRYPTION_KEY) and opens the service's storage.
  (no option)  create or update the bot, the Sign-in OAuth app and /oauth2 in every team, and
               repair /oauth2 where someone changed it (the system admins get a direct message)
  --check      only report what is missing or wrong (exit 1 when something is)
  --sync       the same as no option, for a cron job: prints nothing when nothing changed,
               exit 1 when something is still wrong
  --remove     delete the commands and the OAuth app, disable the bot, forget the installation
  --bot-role   regular (default): a plain bot; run setup --sync on a schedule to keep /oauth2 in
               every team. admin: the bot holds system_admin and the service does that itself.
               Kept for later runs until given again.
  --force      go on when Mattermost names an installation that the opened storage does not hold:
               this storage takes the installation over, with a new bot token and sign-in secret
               (the service that used the old ones stops working until it uses this storage)
The system admin's token comes from MM_ADMIN_TOKEN or, in a terminal, a prompt. It is not stored.`;

export type Mode = SetupMode | 'sync';

interface Parsed {
  mode: Mode;
  botRole?: BotRole;
  force: boolean;
}

/** undefined: bad usage; 'help': --help. */
export function parseCommandLine(args: string[]): Parsed | 'help' | undefined {
  let values;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        check: { type: 'boolean' },
        sync: { type: 'boolean' },
        remove: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'bot-role': { type: 'string' },
        force: { type: 'boolean' },
      },
    }).values;
  } catch {
    return undefined;
  }
  if (values.help) return 'help';
  const modes = (['check', 'sync', 'remove'] as const).filter((m) => values[m]);
  const role = values['bot-role'];
  if (modes.length > 1 || (role !== undefined && (!isBotRole(role) || modes[0] === 'remove'))) return undefined;
  if (values.force && modes[0] === 'check') return undefined; // --check changes nothing: there is nothing to force
  return { mode: modes[0] ?? 'apply', botRole: role as BotRole | undefined, force: values.force ?? false };
}
