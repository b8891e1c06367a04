// Redux action types, prefixed with the plugin id so they cannot collide with
// the host's or another plugin's in the shared store.
import type { PanelData } from '../src/hosts/apps/protocol/panel_types.js';
import type { HostKind } from './client/host.js';
import { PLUGIN_ID } from './manifest.js';

const prefixed = <T extends string>(name: T) => `${PLUGIN_ID}/${name}` as const;

export const ActionTypes = {
  PANEL_LOAD_STARTED: prefixed('PANEL_LOAD_STARTED'),
  PANEL_RELOAD_QUEUED: prefixed('PANEL_RELOAD_QUEUED'),
  PANEL_LOADED: prefixed('PANEL_LOADED'),
  PANEL_LOAD_FAILED: prefixed('PANEL_LOAD_FAILED'),
  PROVIDER_ACTION_STARTED: prefixed('PROVIDER_ACTION_STARTED'),
  PROVIDER_ACTION_FINISHED: prefixed('PROVIDER_ACTION_FINISHED'),
  NOTICE_DISMISSED: prefixed('NOTICE_DISMISSED'),
  NOTICE_SHOWN: prefixed('NOTICE_SHOWN'),
} as const;

export type ProviderActionKind = 'connect' | 'disconnect' | 'revoke';

/** The pending key of a grant's revoke: beside its provider's, so the provider's own buttons stay usable. */
export const grantKey = (providerId: string, clientId: string) => `${providerId}/${clientId}`;

/** A message about the last action, shown above the list. */
export interface Notice {
  kind: 'info' | 'error';
  text: string;
  /** A link to offer when the browser blocked the sign-in window. */
  link?: string;
}

export type PanelAction =
  | { type: typeof ActionTypes.PANEL_LOAD_STARTED }
  | { type: typeof ActionTypes.PANEL_RELOAD_QUEUED }
  | { type: typeof ActionTypes.PANEL_LOADED; data: PanelData; host: HostKind }
  | { type: typeof ActionTypes.PANEL_LOAD_FAILED; error: string; host: HostKind | null }
  | { type: typeof ActionTypes.PROVIDER_ACTION_STARTED; providerId: string; kind: ProviderActionKind }
  | { type: typeof ActionTypes.PROVIDER_ACTION_FINISHED; providerId: string; notice?: Notice }
  | { type: typeof ActionTypes.NOTICE_SHOWN; notice: Notice }
  | { type: typeof ActionTypes.NOTICE_DISMISSED };
