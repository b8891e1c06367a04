/** @jsxRuntime automatic */
// Wires the panel into the host: its reducer, a right-hand sidebar opened from
// the App Bar (or the channel header on hosts without one), a user settings
// section, and reloads on the Apps plugin's refresh event and on reconnect.
import type { Reducer, Store } from 'redux';
import { reloadPanelIfShown, type AppDispatch } from './actions.js';
import { ICON_DATA_URL } from './assets/icon.js';
import { ConnectedAccounts } from './components/connected_accounts/connected_accounts.js';
import { PluginIcon } from './components/plugin_icon.js';
import { APPS_REFRESH_EVENT, PLUGIN_ID, PLUGIN_NAME } from './manifest.js';
import { panelReducer } from './reducer.js';
import type { PluginClass, PluginRegistry } from './registry_types.js';

export const PANEL_TITLE = 'Connected accounts';

// The sidebar rather than a modal: it stays open beside the channel while the
// user signs in at the provider in another window, and it is where Mattermost
// puts App Bar panels.
export class Plugin implements PluginClass {
  initialize(registry: PluginRegistry, store: Store): void {
    const dispatch = store.dispatch as AppDispatch;
    registry.registerReducer(panelReducer as Reducer);

    const rhs = registry.registerRightHandSidebarComponent(ConnectedAccounts, PANEL_TITLE);
    const togglePanel = () => store.dispatch(rhs.toggleRHSPlugin);
    if (typeof registry.registerAppBarComponent === 'function') {
      registry.registerAppBarComponent(ICON_DATA_URL, togglePanel, PANEL_TITLE);
    } else {
      registry.registerChannelHeaderButtonAction(<PluginIcon />, togglePanel, PANEL_TITLE, PANEL_TITLE);
    }

    if (typeof registry.registerUserSettings === 'function') {
      registry.registerUserSettings({
        id: PLUGIN_ID,
        uiName: PLUGIN_NAME,
        icon: ICON_DATA_URL,
        sections: [{ title: PANEL_TITLE, component: ConnectedAccounts }],
      });
    }

    const reload = () => void dispatch(reloadPanelIfShown());
    registry.registerWebSocketEventHandler(APPS_REFRESH_EVENT, reload);
    // Refresh events sent while the websocket was down are lost: catch up on reconnect.
    if (typeof registry.registerReconnectHandler === 'function') registry.registerReconnectHandler(reload);
  }
}
