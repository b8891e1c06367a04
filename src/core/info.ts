/** `providers` and the `help` text: what both hosts say the same way. */
import { md } from './format.js';
import { NO_PROVIDERS } from './providers.js';
import type { CoreOperation, HelpWording } from './request.js';

export const providersList: CoreOperation = async (req) => {
  const list = await req.providers.list();
  if (list.length === 0) return { text: NO_PROVIDERS };
  return { text: ['#### Registered providers', ...list.map((p) => `- **${md(p.display_name)}**: \`/oauth2 connect ${p.id}\` (${p.preset})`)].join('\n') };
};

export const APPS_WORDING: HelpWording = { holder: "the App's" };
export const STANDALONE_WORDING: HelpWording = { holder: "the service's" };

/** What help shows of a command (core/commands.ts has the whole row). */
export interface HelpRow {
  name: string;
  provider?: { required: boolean };
  help: string;
  adminOnly: boolean;
  /** Typed options, `--name value`: each name with what its value is, e.g. { limit: 'N' }. */
  options?: Readonly<Record<string, string>>;
}

/** The arguments as help shows them: '<provider>' when required, '[provider]' when optional, then '[--name value]' per option. */
export const argumentUsage = (row: Pick<HelpRow, 'provider' | 'options'>): string =>
  [
    row.provider ? (row.provider.required ? '<provider>' : '[provider]') : '',
    ...Object.entries(row.options ?? {}).map(([name, value]) => `[--${name} ${value}]`),
  ]
    .filter(Boolean)
    .join(' ');

/** `/oauth2 whoami <provider>`: the command as it is typed. */
export const commandUsage = (row: Pick<HelpRow, 'name' | 'provider' | 'options'>): string =>
  [`/oauth2 ${row.name}`, argumentUsage(row)].filter(Boolean).join(' ');

/** The row's help in this host's words, e.g. "disconnect your account and revoke the App's access". */
export const helpOf = (row: Pick<HelpRow, 'help'>, wording: HelpWording): string => row.help.replace('{holder}', wording.holder);

/** One line per command; the system admins' part only for a system admin. */
export function renderHelp(rows: readonly HelpRow[], isAdmin: boolean, wording: HelpWording): string {
  const line = (row: HelpRow) => `- \`${commandUsage(row)}\`: ${helpOf(row, wording)}`;
  const admin = isAdmin ? ['', 'System admins:', ...rows.filter((r) => r.adminOnly).map(line)] : [];
  return ['#### OAuth2 Connect', ...rows.filter((r) => !r.adminOnly).map(line), ...admin].join('\n');
}
