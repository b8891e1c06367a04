/** @jsxRuntime automatic */
// The integrations a user allowed to use one of their accounts (token API
// grants), each with its scopes, its last use and a Revoke button. Only the
// standalone host has grants; on the Apps host the list is absent and this
// renders nothing.
import type { PanelGrant, PanelProvider } from '../../../src/hosts/apps/protocol/panel_types.js';
import { grantKey, type ProviderActionKind } from '../../action_types.js';
import { formatRelative } from '../../format.js';
import { CLASS } from '../../styles.js';

export interface GrantListProps {
  provider: PanelProvider;
  pending: Record<string, ProviderActionKind>;
  now: number;
  onRevoke: (provider: PanelProvider, grant: PanelGrant) => void;
}

export function GrantList({ provider, pending, now, onRevoke }: GrantListProps) {
  const grants = provider.grants ?? [];
  if (grants.length === 0) return null;
  return (
    <div className={`${CLASS}-grants`}>
      <div className={`${CLASS}-state`}>Integrations you allowed to use this account</div>
      <ul className={`${CLASS}-list`} aria-label={`Integrations allowed to use your ${provider.display_name} account`}>
        {grants.map((grant) => {
          const busy = pending[grantKey(provider.id, grant.client_id)] !== undefined;
          const used = grant.last_used_at ? `last used ${formatRelative(grant.last_used_at, now)}` : 'never used';
          return (
            <li key={grant.client_id} className={`${CLASS}-grant`} data-client={grant.client_id}>
              <div className={`${CLASS}-row-text`}>
                <div>{grant.client_name}</div>
                <div className={`${CLASS}-state`}>{`${grant.scopes.length > 0 ? `Scopes: ${grant.scopes.join(', ')}` : 'No scopes'} · ${used}`}</div>
              </div>
              <button
                type="button"
                className={`${CLASS}-btn ${CLASS}-btn-danger`}
                aria-label={`Revoke ${grant.client_name}'s access to ${provider.display_name}`}
                disabled={busy}
                onClick={() => onRevoke(provider, grant)}
              >
                {busy ? 'Revoking…' : 'Revoke'}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
