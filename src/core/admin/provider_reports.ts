/** `provider test|list|register` and `report`, for system admins only. */
import { UserFacingError } from '../errors.js';
import { md } from '../format.js';
import type { StoredProvider } from '../provider_records.js';
import type { CoreAnswer, CoreRequest } from '../request.js';
import { requireAdminUser } from './admin_guard.js';
import { checkDiscovery, checkDisplayName } from './provider_checks.js';
import { type FormRefresh, providerFormSpec } from './provider_form.js';
import { readProviderInput } from './provider_input.js';
import { NO_PROVIDERS, namedProvider } from './provider_lookup.js';
import { openProvider } from '../providers.js';
import { type AdminDeps, toStored } from './provider_secrets.js';
import { moveReportLine } from '../apps_move/operations.js';
import { tokenApiReport } from '../token_api/client_admin.js';

export async function testProvider(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const stored = namedProvider(req.values, await req.providers.list(), 'test');
  const checks = await deps.engine.check(openProvider(stored, deps));
  const failed = checks.filter((c) => !c.ok).length;
  const lines = checks.map((c) => `- ${c.ok ? ':white_check_mark:' : ':x:'} ${md(c.name)}: ${md(c.detail)}`);
  const redirect = req.host.redirectUri(stored.id);
  const register = redirect ? [`The redirect URI registered at the provider must be exactly \`${redirect}\`.`] : [];
  const title = `#### ${md(stored.display_name)}: ${failed === 0 ? 'all checks passed' : `${failed} of ${checks.length} checks failed`}`;
  return { text: [title, ...lines, ...register].join('\n'), auditDetail: `${failed} of ${checks.length} checks failed` };
}

/** The last 4 characters at most: enough to tell two ids apart, never a whole secret. */
export const tail = (value: string): string => (value.length > 8 ? `…${value.slice(-4)}` : '…');

function describe(p: StoredProvider): string {
  const where = p.issuer ?? p.base_url ?? p.tenant ?? p.endpoints?.authorization_endpoint ?? 'built in';
  const client = `client \`${tail(p.client_id)}\`, ${p.auth === 'none' ? 'public (PKCE)' : `secret set (${p.auth})`}`;
  return `- **${md(p.display_name)}** \`${p.id}\`: ${p.preset}, ${md(where)}; ${client}; scopes \`${p.scopes.join(' ') || '(none)'}\`${p.registered ? '; dynamically registered' : ''}`;
}

export async function listProviders(req: CoreRequest): Promise<CoreAnswer> {
  requireAdminUser(req);
  const list = await req.providers.list();
  return { text: list.length === 0 ? NO_PROVIDERS : ['#### Registered providers', ...list.map(describe)].join('\n') };
}

export async function providerRegisterForm(req: CoreRequest, refresh?: FormRefresh): Promise<CoreAnswer> {
  requireAdminUser(req);
  return { form: providerFormSpec({ values: req.values, host: req.host, mode: 'register', ...(refresh && { refresh }) }) };
}

/** RFC 7591 dynamic registration, with the host's exact redirect URI for this provider. */
export async function registerProvider(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  requireAdminUser(req);
  const config = readProviderInput(req.values, { registering: true });
  const redirect = req.host.redirectUri(config.id);
  if (!redirect) throw new UserFacingError('The App did not receive its redirect URI (complete_url): it needs the remote_oauth2 permission.');
  const all = await req.providers.list();
  if (all.some((p) => p.id === config.id))
    throw new UserFacingError(`A provider named \`${config.id}\` already exists.`, { fieldErrors: { id: 'Already in use' } });
  checkDisplayName(all, config);
  await checkDiscovery(deps, config);
  const client = await deps.engine.register(config, {
    redirect_uris: [redirect],
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
  await req.providers.save(toStored(registered, deps, undefined, true));
  const kind = client.client_secret ? 'confidential' : 'public';
  return {
    text: `Registered **${md(config.display_name)}** by dynamic registration (client \`${tail(client.client_id)}\`, ${kind}). Users connect with \`/oauth2 connect ${config.id}\`.`,
    refresh: true,
    auditDetail: `${kind} client registered`,
  };
}

/** At most this many usernames are listed per provider and state; the counts are always whole. */
const NAMES_SHOWN = 20;

const names = (ids: string[], usernames: Map<string, string>) =>
  ids.length === 0
    ? ''
    : `${ids
        .slice(0, NAMES_SHOWN)
        .map((id) => `@${usernames.get(id) ?? id}`)
        .join(', ')}${ids.length > NAMES_SHOWN ? `, and ${ids.length - NAMES_SHOWN} more` : ''}`;

export async function connectionReport(req: CoreRequest): Promise<CoreAnswer> {
  requireAdminUser(req);
  const list = await req.providers.list();
  if (list.length === 0) return { text: NO_PROVIDERS };
  const all = await req.connections.report();
  const reports = list.map((p) => ({ p, r: all[p.id] ?? { connected: [], broken: [] } }));
  const shown = reports.flatMap(({ r }) => [...r.connected.slice(0, NAMES_SHOWN), ...r.broken.slice(0, NAMES_SHOWN)]);
  const usernames = await req.host.usernames([...new Set(shown)]);
  const lines = reports.map(
    ({ p, r }) => `| ${md(p.display_name)} | ${r.connected.length} | ${r.broken.length} | ${names(r.connected, usernames)} | ${names(r.broken, usernames)} |`,
  );
  const head = ['#### Connections per provider', '| Provider | Connected | Broken | Connected users | Broken users |', '| --- | --- | --- | --- | --- |'];
  return { text: [...head, ...lines, ...(await moveReportLine(req)), ...(await tokenApiReport(req))].join('\n') };
}
