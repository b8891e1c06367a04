// Reads of the host store: this plugin's slice and the few host fields a call
// needs (site URL, current channel and team).
import type { CallOrigin } from './client/apps_client.js';
import { STATE_KEY } from './manifest.js';
import { initialPanelState, type PanelState } from './reducer.js';

/** The parts of the Mattermost webapp's state this plugin reads. */
export interface HostState {
  entities?: {
    general?: { config?: { SiteURL?: string } };
    channels?: { currentChannelId?: string };
    teams?: { currentTeamId?: string };
  };
  [STATE_KEY]?: PanelState;
}

/** The Apps location our calls report; v1.2.2 strips it, newer plugins keep it. */
const PANEL_LOCATION = '/channel_header';

export const getPanelState = (state: HostState): PanelState => state[STATE_KEY] ?? initialPanelState;

/** SiteURL from the server config, else this page's origin (SiteURL may be unset). */
function getSiteURL(state: HostState): string {
  return state.entities?.general?.config?.SiteURL || globalThis.location?.origin || '';
}

export function getCallOrigin(state: HostState): CallOrigin {
  return {
    siteURL: getSiteURL(state),
    location: PANEL_LOCATION,
    channelId: state.entities?.channels?.currentChannelId ?? '',
    teamId: state.entities?.teams?.currentTeamId ?? '',
  };
}
