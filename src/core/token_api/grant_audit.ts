/**
 * A user's grants ending is an audit entry, as an admin's changes to the
 * clients are: `/oauth2 grants revoke` and the panel's Revoke (the user
 * revoked it), and a disconnect, which ends the user's grants at that
 * provider. One entry per grant: the user as Mattermost vouched for them,
 * the client as `client:<id>` (as the client entries name it), the provider
 * and the cause in the detail.
 */
import type { AuditTrail } from '../audit.js';
import type { TokenGrant } from './types.js';

export type GrantEnd = 'revoked' | 'ended by disconnect';

export async function auditGrantsEnded(audit: AuditTrail | undefined, userId: string, grants: readonly TokenGrant[], how: GrantEnd): Promise<void> {
  for (const g of grants)
    await audit?.record({
      actor_user_id: userId,
      action: 'grant.revoke',
      target: `client:${g.client_id}`,
      outcome: 'ok',
      detail: `provider ${g.provider_id}; ${how}`,
    });
}
