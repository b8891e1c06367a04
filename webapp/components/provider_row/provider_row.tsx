/** @jsxRuntime automatic */
// One provider: its name, its connection in words, and the buttons that change it.
// (The pragma above keeps JSX working under the test runner, see webapp/README.md.)
import type { PanelProvider } from '../../../src/hosts/apps/protocol/panel_types.js';
import type { ProviderActionKind } from '../../action_types.js';
import { connectionState, describeConnection } from '../../format.js';
import { CLASS } from '../../styles.js';

export interface ProviderRowProps {
  provider: PanelProvider;
  pending?: ProviderActionKind | undefined;
  now: number;
  onConnect: (provider: PanelProvider) => void;
  onDisconnect: (provider: PanelProvider) => void;
}

export function ProviderRow({ provider, pending, now, onConnect, onDisconnect }: ProviderRowProps) {
  const state = connectionState(provider);
  const name = provider.display_name;
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
    </li>
  );
}
