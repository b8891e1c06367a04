/**
 * `/oauth2 client add|list|rotate|remove|grants`: a system admin registers an
 * integration as a token API client and manages it. A new or rotated
 * credential is answered in `data` only, never in `text`: a host shows it
 * once to that admin (the standalone host in the dialog's result) and never
 * posts or logs it.
 */
import { requireAdminUser } from '../admin/admin_guard.js';
import type { AdminDeps } from '../admin/provider_secrets.js';
import { UserFacingError } from '../errors.js';
import { codeSpan, formatTime, md } from '../format.js';
import type { CoreAnswer, CoreRequest } from '../request.js';
import { clientSettings } from './client_input.js';
import { credentialHash, newCredential } from './credential.js';
import { TOKEN_API_ELSEWHERE, type TokenClient, type TokenClientStore, type TokenGrant } from './types.js';

/** What a new or rotated credential's answer carries besides the text. */
export interface IssuedCredential {
  client_id: string;
  client_name: string;
  credential: string;
}

/** The token API's store, for a system admin on a host that has one. */
export function adminStore(req: CoreRequest): TokenClientStore {
  requireAdminUser(req);
  if (!req.tokenApi) throw new UserFacingError(TOKEN_API_ELSEWHERE);
  return req.tokenApi;
}

/** The client named by `values.client`, or a refusal listing the registered ones. */
export async function namedClient(store: TokenClientStore, req: CoreRequest): Promise<TokenClient> {
  const id = typeof req.values.client === 'string' ? req.values.client.trim().toLowerCase() : '';
  const client = id ? await store.get(id) : undefined;
  if (client) return client;
  const known = (await store.list()).map((c) => `\`${c.id}\``).join(', ') || 'none yet';
  throw new UserFacingError(`${id ? `There is no client ${codeSpan(id)}` : 'Name a client'}. Registered clients: ${known}.`);
}

function issued(client: Pick<TokenClient, 'id' | 'name'>, credential: string, deps: AdminDeps): IssuedCredential {
  deps.logger.addSecrets(credential);
  return { client_id: client.id, client_name: client.name, credential };
}

export async function clientAdd(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  const store = adminStore(req);
  const settings = clientSettings(req.values, await req.providers.list());
  const credential = newCredential();
  const now = deps.now();
  const client: TokenClient = { ...settings, created_by: req.user.id, created_at: now, credential_at: now };
  if (!(await store.create(client, credentialHash(credential))))
    throw new UserFacingError('Nothing was saved.', { fieldErrors: { name: `A client named ${client.id} exists; choose another name or remove it first.` } });
  deps.logger.info('token client registered', { client: client.id, by: req.user.id, providers: client.providers });
  return {
    text: `Registered the client **${md(client.name)}** (\`${client.id}\`) for ${client.providers.map((p) => `\`${p}\``).join(', ')}.`,
    data: issued(client, credential, deps),
    refresh: true,
  };
}

export async function clientRotate(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  const store = adminStore(req);
  const client = await namedClient(store, req);
  const credential = newCredential();
  if (!(await store.rotate(client.id, credentialHash(credential), deps.now()))) throw new UserFacingError(`The client \`${client.id}\` was removed meanwhile.`);
  deps.logger.info('token client credential rotated', { client: client.id, by: req.user.id });
  return { text: `Replaced the credential of **${md(client.name)}** (\`${client.id}\`); the old one no longer works.`, data: issued(client, credential, deps) };
}

export async function clientRemove(req: CoreRequest, deps: AdminDeps): Promise<CoreAnswer> {
  const store = adminStore(req);
  const client = await namedClient(store, req);
  await store.remove(client.id);
  deps.logger.info('token client removed', { client: client.id, by: req.user.id });
  return { text: `Removed the client **${md(client.name)}** (\`${client.id}\`) and every grant users gave it; its credential no longer works.`, refresh: true };
}

const when = (ms: number | undefined): string => (ms === undefined ? 'never' : formatTime(ms));
const list = (items: string[]): string => (items.length === 0 ? 'any' : items.map((i) => codeSpan(i)).join(' '));

export async function clientList(req: CoreRequest): Promise<CoreAnswer> {
  const store = adminStore(req);
  const [clients, grants] = await Promise.all([store.list(), store.allGrants()]);
  if (clients.length === 0) return { text: 'No token API clients are registered. Register one with `/oauth2 client add`.' };
  const granted = (id: string) => grants.filter((g) => g.client_id === id).length;
  const rows = clients.map(
    (c) =>
      `| ${md(c.name)} (\`${c.id}\`) | ${list(c.providers)} | ${list(c.scopes)} | ${list(c.sources)} | ${c.rate_per_minute}/min | ${granted(c.id)} | ${when(c.last_used_at)} |`,
  );
  return {
    text: [
      '#### Token API clients',
      '| Client | Providers | Scopes | Sources | Rate | Grants | Last used |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  };
}

export function grantLines(grants: readonly TokenGrant[], names: Map<string, string>): string[] {
  return grants.map(
    (g) =>
      `- **${md(names.get(g.client_id) ?? g.client_id)}** (\`${g.client_id}\`) may use your \`${g.provider_id}\` account (${list(g.scopes)}), allowed ${formatTime(g.granted_at)}, last used ${when(g.last_used_at)}.`,
  );
}

/** An admin reads one user's grants (`/oauth2 client grants <user id>`). */
export async function clientGrants(req: CoreRequest): Promise<CoreAnswer> {
  const store = adminStore(req);
  const userId = typeof req.values.user === 'string' ? req.values.user.trim().replace(/^@/, '') : '';
  if (!/^[a-z0-9]{26}$/.test(userId)) throw new UserFacingError('Name the user by their Mattermost user id: `/oauth2 client grants <user id>`.');
  const [grants, clients] = await Promise.all([store.grantsOf(userId), store.list()]);
  if (grants.length === 0) return { text: `The user \`${userId}\` has granted no client access.` };
  const names = new Map(clients.map((c) => [c.id, c.name]));
  const rows = grants.map(
    (g) =>
      `| ${md(names.get(g.client_id) ?? g.client_id)} | \`${g.provider_id}\` | ${list(g.scopes)} | ${formatTime(g.granted_at)} | ${when(g.last_used_at)} |`,
  );
  return {
    text: [`#### Grants of \`${userId}\``, '| Client | Provider | Scopes | Allowed | Last used |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'),
  };
}

/** The admin report's part about the token API; empty where the host has none or nothing is registered. */
export async function tokenApiReport(req: CoreRequest): Promise<string[]> {
  if (!req.tokenApi) return [];
  const [clients, grants] = await Promise.all([req.tokenApi.list(), req.tokenApi.allGrants()]);
  if (clients.length === 0) return [];
  const usernames = await req.host.usernames([...new Set(grants.map((g) => g.user_id))].slice(0, 200));
  const rows = clients.map((c) => {
    const own = grants.filter((g) => g.client_id === c.id);
    const users = own
      .slice(0, 20)
      .map((g) => `@${usernames.get(g.user_id) ?? g.user_id} (${g.provider_id}, last used ${when(g.last_used_at)})`)
      .join(', ');
    return `| ${md(c.name)} (\`${c.id}\`) | ${own.length} | ${when(c.last_used_at)} | ${users}${own.length > 20 ? ', …' : ''} |`;
  });
  return ['', '#### Token API clients', '| Client | Grants | Last used | Granted by |', '| --- | --- | --- | --- |', ...rows];
}
