/** @jsxRuntime automatic */
// One provider: its name, its connection in words, and the buttons that change it.
// (The pragma above keeps JSX working under the test runner, see webapp/README.md.)
import type { PanelGrant, PanelProvider } from '../../../src/hosts/apps/protocol/panel_types.js';
import type { ProviderActionKind } from '../../action_types.js';
import { connectionState, describeConnection } from '../../format.js';
import { CLASS } from '../../styles.js';
import { GrantList } from '../grant_list/grant_list.js';

export interface ProviderRowProps {
  provider: PanelProvider;
  /** The panel's running actions: this provider's by its id, its grants' by grantKey. */
  pending: Record<string, ProviderActionKind>;
  now: number;
  onConnect: (provider: PanelProvider) => void;
  onDisconnect: (provider: PanelProvider) => void;
  onRevoke: (provider: PanelProvider, grant: PanelGrant) => void;
}

export function ProviderRow({ provider, pending: running, now, onConnect, onDisconnect, onRevoke }: ProviderRowProps) {
  const state = connectionState(provider);
  const name = provider.display_name;
  const pending = running[provider.id];
  const busy = pending !== undefined;
  const connectVerb = state === 'not_connected' ? 'Connect' : 'Reconnect';
  return (
    <li className={`${CLASS}-row`} data-provider={provider.id} data-state={state}>
      <div className={`${CLASS}-row-text`}>
        <div className={`${CLASS}-name`}>
          <span className={`${CLASS}-dot ${CLASS}-dot-${state.replace('_', '-')}`} aria-hidden="true" />
          {name}
        </div>
        <div className={`${CLASS}-state${state === 'broken' ? ` ${CLASS}-state-broken` : ''}`}>{describeConnection(provider, now)}</div>
      </div>
      <div className={`${CLASS}-actions`}>
        {state !== 'connected' && (
          <button type="button" className={`${CLASS}-btn`} aria-label={`${connectVerb} ${name}`} disabled={busy} onClick={() => onConnect(provider)}>
            {pending === 'connect' ? 'Connecting…' : connectVerb}
          </button>
        )}
        {state !== 'not_connected' && (
          <button
            type="button"
            className={`${CLASS}-btn ${CLASS}-btn-danger`}
            aria-label={`Disconnect ${name}`}
            disabled={busy}
            onClick={() => onDisconnect(provider)}
          >
            {pending === 'disconnect' ? 'Disconnecting…' : 'Disconnect'}
          </button>
        )}
      </div>
      <GrantList provider={provider} pending={running} now={now} onRevoke={onRevoke} />
    </li>
  );
}
