// The plugin's slice of the host store, registered with registry.registerReducer
// and found under state['plugins-<plugin id>'].
import type { PanelData } from '../src/hosts/apps/protocol/panel_types.js';
import type { HostKind } from './client/host.js';
import { ActionTypes, type Notice, type PanelAction, type ProviderActionKind } from './action_types.js';

export interface PanelState {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  /** The last data loaded; kept while a reload runs so the list does not flicker. */
  data: PanelData | null;
  error: string | null;
  /** A reload was asked for while a load ran: its answer may predate the change. */
  reloadQueued: boolean;
  /** Provider id (a grant's: grantKey) → the action running for it, to disable its buttons. */
  pending: Record<string, ProviderActionKind>;
  notice: Notice | null;
  /** The host that answered the last load (Apps plugin or standalone service); null until one did. */
  host: HostKind | null;
}

export const initialPanelState: PanelState = {
  status: 'idle',
  data: null,
  error: null,
  reloadQueued: false,
  pending: {},
  notice: null,
  host: null,
};

export function panelReducer(state: PanelState = initialPanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case ActionTypes.PANEL_LOAD_STARTED:
      return { ...state, status: 'loading', reloadQueued: false };
    case ActionTypes.PANEL_RELOAD_QUEUED:
      return { ...state, reloadQueued: true };
    case ActionTypes.PANEL_LOADED:
      return { ...state, status: 'loaded', data: action.data, error: null, host: action.host };
    case ActionTypes.PANEL_LOAD_FAILED:
      return { ...state, status: 'error', error: action.error, host: action.host };
    case ActionTypes.PROVIDER_ACTION_STARTED:
      return { ...state, pending: { ...state.pending, [action.providerId]: action.kind }, notice: null };
    case ActionTypes.PROVIDER_ACTION_FINISHED: {
      const { [action.providerId]: _done, ...pending } = state.pending;
      return { ...state, pending, notice: action.notice ?? state.notice };
    }
    case ActionTypes.NOTICE_SHOWN:
      return { ...state, notice: action.notice };
    case ActionTypes.NOTICE_DISMISSED:
      return { ...state, notice: null };
    default:
      return state;
  }
}
