/**
 * A user's grants: which integrations may receive their token at which
 * provider. `/oauth2 grants list` and `/oauth2 grants revoke <client> [provider]`
 * (status lists them too). A revoked grant refuses the client's next token
 * request at once: the token endpoint reads the grant at every request.
 */
import { UserFacingError } from '../errors.js';
import { codeSpan, md } from '../format.js';
import type { PanelProvider } from '../panel_provider.js';
import type { CoreAnswer, CoreOperation, CoreRequest } from '../request.js';
import { grantLines } from './client_admin.js';
import { auditGrantsEnded } from './grant_audit.js';
import { TOKEN_API_ELSEWHERE, type TokenGrant } from './types.js';

/**
 * Status's lines about grants (none where the host has no token API or the user granted nothing).
 * `read`: the user's grants when they came with the user's view (UserView.grants): no read of its own then.
 */
export async function grantStatusLines(req: CoreRequest, read?: readonly TokenGrant[]): Promise<string[]> {
  if (!req.tokenApi) return [];
  const grants = read ?? (await req.tokenApi.grantsOf(req.user.id));
  if (grants.length === 0) return [];
  const names = new Map((await req.tokenApi.list()).map((c) => [c.id, c.name]));
  return ['', '#### Integrations you allowed', ...grantLines(grants, names), 'Revoke one with `/oauth2 grants revoke <client> [provider]`.'];
}

/**
 * The panel's providers with each one's grants (the webapp shows and revokes
 * them there); unchanged where the host has no token API, so the panel shows
 * no grants section. `read`: as grantStatusLines's.
 */
export async function withGrants(req: CoreRequest, providers: PanelProvider[], read?: readonly TokenGrant[]): Promise<PanelProvider[]> {
  if (!req.tokenApi) return providers;
  const [grants, clients] = await Promise.all([read ?? req.tokenApi.grantsOf(req.user.id), req.tokenApi.list()]);
  const names = new Map(clients.map((c) => [c.id, c.name]));
  return providers.map((p) => ({
    ...p,
    grants: grants
      .filter((g) => g.provider_id === p.id)
      .map((g) => ({
        client_id: g.client_id,
        client_name: names.get(g.client_id) ?? g.client_id,
        scopes: g.scopes,
        granted_at: g.granted_at,
        ...(g.last_used_at !== undefined && { last_used_at: g.last_used_at }),
      })),
  }));
}

export const grantsList: CoreOperation = async (req) => {
  if (!req.tokenApi) return { text: TOKEN_API_ELSEWHERE };
  const lines = await grantStatusLines(req);
  return { text: lines.length > 0 ? lines.slice(1).join('\n') : 'You have allowed no integration to use your accounts.' };
};

export const grantsRevoke: CoreOperation = async (req: CoreRequest, deps): Promise<CoreAnswer> => {
  if (!req.tokenApi) return { text: TOKEN_API_ELSEWHERE };
  const clientId = typeof req.values.client === 'string' ? req.values.client.toLowerCase() : '';
  const providerId = typeof req.values.provider === 'string' ? req.values.provider.toLowerCase() : undefined;
  const grants = (await req.tokenApi.grantsOf(req.user.id)).filter(
    (g) => g.client_id === clientId && (providerId === undefined || g.provider_id === providerId),
  );
  if (!clientId || grants.length === 0)
    throw new UserFacingError(
      `You have no grant ${clientId ? `to ${codeSpan(clientId)}${providerId ? ` for ${codeSpan(providerId)}` : ''}` : 'by that name'}. See yours with \`/oauth2 grants list\`.`,
    );
  const revoked: TokenGrant[] = [];
  for (const g of grants) if (await req.tokenApi.revokeGrant(req.user.id, g.client_id, g.provider_id)) revoked.push(g);
  await auditGrantsEnded(deps.audit, req.user.id, revoked, 'revoked');
  const client = await req.tokenApi.get(clientId);
  const where = grants.map((g) => `\`${g.provider_id}\``).join(', ');
  return { text: `Revoked: **${md(client?.name ?? clientId)}** can no longer use your ${where} account.`, refresh: true };
};
