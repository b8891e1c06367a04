// A stand-in for the Mattermost webapp around the plugin: the libraries it puts
// on window for plugins (UMD builds of React 18, ReactDOM, Redux, ReactRedux), a
// store with thunk middleware and plugin reducers, a window.registerPlugin
// registry that records every registration, an App Bar and a right-hand sidebar.

// Mattermost's default ("Denim") theme variables, so the panel looks as it will there.
const THEME = `
:root { --center-channel-bg: #ffffff; --center-channel-color: #3f4350; --center-channel-color-rgb: 63, 67, 80;
  --button-bg: #1c58d9; --button-bg-rgb: 28, 88, 217; --button-color: #ffffff; --error-text: #d24b4e;
  --error-text-color-rgb: 210, 75, 78; --online-indicator: #06d6a0; --sidebar-bg: #1e325c; }
body { margin: 0; font-family: 'Open Sans', system-ui, sans-serif; background: var(--center-channel-bg); }
#layout { display: flex; height: 100vh; }
#channel { flex: 1; padding: 16px; color: rgba(63, 67, 80, 0.64); border-right: 1px solid rgba(63, 67, 80, 0.12); }
#rhs { width: 420px; overflow: auto; }
#rhs > header { font-weight: 600; padding: 12px 16px; border-bottom: 1px solid rgba(63, 67, 80, 0.12); }
#app-bar { width: 48px; background: rgba(63, 67, 80, 0.04); display: flex; flex-direction: column; align-items: center; padding-top: 12px; }
#app-bar button { background: none; border: 0; padding: 6px; border-radius: 4px; cursor: pointer; }
#app-bar img { width: 24px; height: 24px; display: block; }
`;

const HOST_SCRIPT = `
(() => {
  const h = React.createElement;
  const pluginReducers = {};
  const initialEntities = {
    general: { config: { SiteURL: window.location.origin } },
    channels: { currentChannelId: window.__HOST_PLACE__.channelId },
    teams: { currentTeamId: window.__HOST_PLACE__.teamId },
  };
  function views(state = { rhsPlugin: null }, action) {
    if (action.type === 'TOGGLE_RHS_PLUGIN') return { rhsPlugin: state.rhsPlugin ? null : action.id };
    if (action.type === 'SHOW_RHS_PLUGIN') return { rhsPlugin: action.id };
    return state;
  }
  function rootReducer(state = {}, action) {
    const next = { entities: state.entities || initialEntities, views: views(state.views, action) };
    for (const key of Object.keys(pluginReducers)) next[key] = pluginReducers[key](state[key], action);
    return next;
  }
  // Plain actions are recorded (window.__actions), e.g. the dialog trigger id a plugin hands to the host.
  const actions = [];
  window.__actions = actions;
  const thunk = (api) => (next) => (action) => typeof action === 'function' ? action(api.dispatch, api.getState) : (actions.push(action), next(action));
  const store = Redux.createStore(rootReducer, Redux.applyMiddleware(thunk));

  const registrations = [];
  const wsHandlers = {};
  const appBar = [];
  let rhs = null;
  window.__registrations = registrations;
  window.__store = store;
  window.__emitWebSocket = (event) => { if (wsHandlers[event]) wsHandlers[event]({ event, data: {} }); };

  function registryFor(pluginId) {
    const record = (name, args) => registrations.push({ name, args: args.map((a) => typeof a === 'function' ? 'function' : typeof a === 'object' && a !== null && !Array.isArray(a) && a.sections ? { id: a.id, uiName: a.uiName, sections: a.sections.map((s) => s.title) } : typeof a === 'string' ? a : typeof a) });
    return {
      registerReducer(reducer) { record('registerReducer', [reducer]); pluginReducers['plugins-' + pluginId] = reducer; store.dispatch({ type: 'HOST/REDUCERS_CHANGED' }); },
      registerRightHandSidebarComponent(component, title) {
        record('registerRightHandSidebarComponent', [component, title]);
        rhs = { id: 'rhs-' + pluginId, component, title };
        return { id: rhs.id, showRHSPlugin: { type: 'SHOW_RHS_PLUGIN', id: rhs.id }, hideRHSPlugin: { type: 'HIDE_RHS_PLUGIN', id: rhs.id }, toggleRHSPlugin: { type: 'TOGGLE_RHS_PLUGIN', id: rhs.id } };
      },
      registerAppBarComponent(iconUrl, action, tooltipText) { record('registerAppBarComponent', [iconUrl.slice(0, 18), action, tooltipText]); appBar.push({ iconUrl, action, tooltipText }); renderHost(); },
      registerChannelHeaderButtonAction(icon, action, dropdownText, tooltipText) { record('registerChannelHeaderButtonAction', [icon, action, dropdownText, tooltipText]); },
      registerUserSettings(settings) { record('registerUserSettings', [settings]); },
      registerWebSocketEventHandler(event, handler) { record('registerWebSocketEventHandler', [event, handler]); wsHandlers[event] = handler; },
    };
  }

  function Sidebar() {
    const open = ReactRedux.useSelector((s) => s.views.rhsPlugin);
    if (!rhs || open !== rhs.id) return null;
    return h('aside', { id: 'rhs', 'aria-label': rhs.title }, h('header', null, rhs.title), h(rhs.component));
  }
  function Host() {
    return h('div', { id: 'layout' },
      h('main', { id: 'channel' }, h('h1', { style: { fontSize: '18px' } }, '~ town-square'), h('p', null, 'A channel of the host webapp.')),
      h(Sidebar),
      h('nav', { id: 'app-bar', 'aria-label': 'App Bar' }, appBar.map((item, i) =>
        h('button', { key: i, type: 'button', 'aria-label': item.tooltipText, title: item.tooltipText, onClick: item.action }, h('img', { src: item.iconUrl, alt: '' })))));
  }
  const root = ReactDOM.createRoot(document.getElementById('root'));
  function renderHost() { root.render(h(ReactRedux.Provider, { store }, h(Host))); }
  renderHost();

  window.registerPlugin = (id, plugin) => { registrations.push({ name: 'registerPlugin', args: [id] }); plugin.initialize(registryFor(id), store); };
})();
`;

export const VENDOR_SCRIPTS: Record<string, string> = {
  'react.js': 'react/umd/react.production.min.js',
  'react-dom.js': 'react-dom/umd/react-dom.production.min.js',
  'redux.js': 'redux/dist/redux.min.js',
  'react-redux.js': 'react-redux/dist/react-redux.min.js',
};

/** The team and channel the user is in (real ids when a real server answers the page's calls). */
export interface HostPlace {
  teamId: string;
  channelId: string;
}

/** `vendor`: the script names under /vendor/, in load order (React first). */
export function hostPage(vendor: string[] = Object.keys(VENDOR_SCRIPTS), place: HostPlace = { teamId: 'team1', channelId: 'channel1' }): string {
  const scripts = vendor.map((name) => `<script src="/vendor/${name}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host webapp</title><style>${THEME}</style></head>
<body><div id="root"></div>
${scripts}
<script>window.__HOST_PLACE__ = ${JSON.stringify(place)};</script>
<script>${HOST_SCRIPT}</script>
<script src="/static/plugins/com.github.oauth2-connect.webapp/main.js"></script>
</body></html>`;
}
