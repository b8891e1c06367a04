/** `providers` and `help`: texts shared by both hosts. */
import { md } from './format.js';
import { NO_PROVIDERS } from './providers.js';
import type { CoreOperation } from './request.js';

export const providersList: CoreOperation = async (req) => {
  const list = await req.providers.list();
  if (list.length === 0) return { text: NO_PROVIDERS };
  return { text: ['#### Registered providers', ...list.map((p) => `- **${md(p.display_name)}**: \`/oauth2 connect ${p.id}\` (${p.preset})`)].join('\n') };
};

/** Where a host words help differently: the Apps host revokes "the App's" access, the standalone one "the service's". */
export interface HelpWording {
  /** Who holds the access a disconnect revokes, e.g. "the App's". */
  holder: string;
}

export const APPS_WORDING: HelpWording = { holder: "the App's" };
export const STANDALONE_WORDING: HelpWording = { holder: "the service's" };

function userHelp(wording: HelpWording): string[] {
  return [
    '#### OAuth2 Connect',
    '- `/oauth2 connect [provider]`: connect your account at a provider',
    '- `/oauth2 status`: your connected accounts',
    '- `/oauth2 whoami <provider>`: who you are at a provider',
    `- \`/oauth2 disconnect <provider>\`: disconnect and revoke ${wording.holder} access`,
    '- `/oauth2 providers`: the registered providers',
  ];
}

const ADMIN_HELP = [
  '',
  'System admins:',
  '- `/oauth2 provider add`: register a provider with its client id and secret',
  '- `/oauth2 provider register`: register by dynamic client registration (RFC 7591)',
  '- `/oauth2 provider edit|remove|test <provider>`, `/oauth2 provider list`',
  '- `/oauth2 report`: connected and broken users per provider',
];

export function helpText(isAdmin: boolean, wording: HelpWording = APPS_WORDING): string {
  return [...userHelp(wording), ...(isAdmin ? ADMIN_HELP : [])].join('\n');
}

export const help =
  (wording: HelpWording = APPS_WORDING): CoreOperation =>
  async (req) => ({ text: helpText(req.user.isAdmin, wording) });
