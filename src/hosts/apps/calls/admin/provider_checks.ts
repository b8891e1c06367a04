/** `/oauth2 provider test|list|register` and `/oauth2 report` for system admins. */
import { form, ok, okRefresh } from '../../protocol/responses.js';
import { CallPath } from '../../protocol/paths.js';
import type { StoredProvider } from '../../../../core/provider_records.js';
import { botClient, providersOf, userRest } from '../context.js';
import type { Handler } from '../deps.js';
import { UserFacingError } from '../../../../core/errors.js';
import { md } from '../../../../core/format.js';
import { chosenProvider, NO_PROVIDERS, openProvider } from '../provider_access.js';
import { providerForm } from './provider_form.js';
import { readProviderInput } from './provider_input.js';
import { saveProviders, toStored } from './save_providers.js';
import { checkDiscovery, checkDisplayName } from './provider_admin.js';
import { providerRedirectUri } from '../redirect_uri.js';

export const providerTest: Handler = async (req, deps) => {
  const stored = chosenProvider(req, providersOf(req), 'test');
  const checks = await deps.engine.check(openProvider(stored, deps));
  const failed = checks.filter((c) => !c.ok).length;
  const lines = checks.map((c) => `- ${c.ok ? ':white_check_mark:' : ':x:'} ${md(c.name)}: ${md(c.detail)}`);
  const completeUrl = req.context.oauth2?.complete_url;
  const register = completeUrl ? [`The redirect URI registered at the provider must be exactly \`${providerRedirectUri(completeUrl, stored.id)}\`.`] : [];
  return ok(
    [`#### ${md(stored.display_name)}: ${failed === 0 ? 'all checks passed' : `${failed} of ${checks.length} checks failed`}`, ...lines, ...register].join(
      '\n',
    ),
  );
};

/** The last 4 characters at most: enough to tell two ids apart, never a whole secret. */
const tail = (value: string) => (value.length > 8 ? `…${value.slice(-4)}` : '…');

function describe(p: StoredProvider): string {
  const where = p.issuer ?? p.base_url ?? p.tenant ?? p.endpoints?.authorization_endpoint ?? 'built in';
  const client = `client \`${tail(p.client_id)}\`, ${p.auth === 'none' ? 'public (PKCE)' : `secret set (${p.auth})`}`;
  return `- **${md(p.display_name)}** \`${p.id}\`: ${p.preset}, ${md(where)}; ${client}; scopes \`${p.scopes.join(' ') || '(none)'}\`${p.registered ? '; dynamically registered' : ''}`;
}

export const providerList: Handler = async (req) => {
  const list = providersOf(req);
  return ok(list.length === 0 ? NO_PROVIDERS : ['#### Registered providers', ...list.map(describe)].join('\n'));
};

export const providerRegisterForm: Handler = async (req) => form(providerForm(req, 'register', CallPath.providerRegister, CallPath.providerRegisterForm));

export const providerRegister: Handler = async (req, deps) => {
  const config = readProviderInput(req, { registering: true });
  const redirect = req.context.oauth2?.complete_url;
  if (!redirect) throw new UserFacingError('The App did not receive its redirect URI (complete_url): it needs the remote_oauth2 permission.');
  if (providersOf(req).some((p) => p.id === config.id))
    throw new UserFacingError(`A provider named \`${config.id}\` already exists.`, { id: 'Already in use' });
  checkDisplayName(req, config);
  await checkDiscovery(deps, config);
  const client = await deps.engine.register(config, {
    redirect_uris: [providerRedirectUri(redirect, config.id)],
    client_name: 'Mattermost OAuth2 Connect',
    token_endpoint_auth_method: config.token_endpoint_auth_method,
    scopes: config.scopes,
  });
  const registered = {
    ...config,
    client_id: client.client_id,
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    ...(client.client_secret && { client_secret: client.client_secret }),
  };
  await saveProviders(req, deps, [...providersOf(req), toStored(registered, deps, undefined, true)]);
  return okRefresh(
    `Registered **${md(config.display_name)}** by dynamic registration (client \`${tail(client.client_id)}\`, ${client.client_secret ? 'confidential' : 'public'}). Users connect with \`/oauth2 connect ${config.id}\`.`,
  );
};

/** At most this many usernames are listed per provider and state; the counts are always whole. */
const NAMES_SHOWN = 20;

const names = (ids: string[], usernames: Map<string, string>) =>
  ids.length === 0
    ? ''
    : `${ids
        .slice(0, NAMES_SHOWN)
        .map((id) => `@${usernames.get(id) ?? id}`)
        .join(', ')}${ids.length > NAMES_SHOWN ? `, and ${ids.length - NAMES_SHOWN} more` : ''}`;

export const report: Handler = async (req, deps) => {
  const list = providersOf(req);
  if (list.length === 0) return ok(NO_PROVIDERS);
  const bot = botClient(req, deps);
  const reports = await Promise.all(list.map(async (p) => ({ p, r: await deps.reportIndex.read(bot, p.id) })));
  const shown = reports.flatMap(({ r }) => [...r.connected.slice(0, NAMES_SHOWN), ...r.broken.slice(0, NAMES_SHOWN)]);
  const usernames = await userRest(req, deps).usernames([...new Set(shown)]);
  const lines = reports.map(
    ({ p, r }) => `| ${md(p.display_name)} | ${r.connected.length} | ${r.broken.length} | ${names(r.connected, usernames)} | ${names(r.broken, usernames)} |`,
  );
  return ok(
    ['#### Connections per provider', '| Provider | Connected | Broken | Connected users | Broken users |', '| --- | --- | --- | --- | --- |', ...lines].join(
      '\n',
    ),
  );
};
