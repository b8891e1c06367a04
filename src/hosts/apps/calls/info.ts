/** `/oauth2 providers`, `/oauth2 help`, the provider lookup, and on_install. */
import { ok } from '../protocol/responses.js';
import type { Handler } from './deps.js';
import { isSystemAdmin, providersOf } from './context.js';
import { md } from '../../../core/format.js';
import { NO_PROVIDERS } from './provider_access.js';

export const providers: Handler = async (req) => {
  const list = providersOf(req);
  if (list.length === 0) return ok(NO_PROVIDERS);
  return ok(['#### Registered providers', ...list.map((p) => `- **${md(p.display_name)}**: \`/oauth2 connect ${p.id}\` (${p.preset})`)].join('\n'));
};

const USER_HELP = [
  '#### OAuth2 Connect',
  '- `/oauth2 connect [provider]`: connect your account at a provider',
  '- `/oauth2 status`: your connected accounts',
  '- `/oauth2 whoami <provider>`: who you are at a provider',
  "- `/oauth2 disconnect <provider>`: disconnect and revoke the App's access",
  '- `/oauth2 providers`: the registered providers',
];
const ADMIN_HELP = [
  '',
  'System admins:',
  '- `/oauth2 provider add`: register a provider with its client id and secret',
  '- `/oauth2 provider register`: register by dynamic client registration (RFC 7591)',
  '- `/oauth2 provider edit|remove|test <provider>`, `/oauth2 provider list`',
  '- `/oauth2 report`: connected and broken users per provider',
];

export const help: Handler = async (req) => ok([...USER_HELP, ...(isSystemAdmin(req) ? ADMIN_HELP : [])].join('\n'));

export const providerLookup: Handler = async (req) => {
  const query = (req.query ?? '').toLowerCase();
  const items = providersOf(req)
    .filter((p) => p.id.includes(query) || p.display_name.toLowerCase().includes(query))
    .map((p) => ({ label: p.display_name, value: p.id }));
  return ok(undefined, { items });
};

export const install: Handler = async () =>
  ok('OAuth2 Connect is installed. Register a provider with `/oauth2 provider add`; users then connect with `/oauth2 connect`.');
