// Thunks run by the host store's redux-thunk middleware: each makes one App call
// and records its outcome in the plugin's slice.
import type { AnyAction, Dispatch } from 'redux';
import type { ConnectData, PanelData, PanelGrant, PanelProvider } from '../src/hosts/apps/protocol/panel_types.js';
import { ActionTypes, grantKey, type Notice, type PanelAction } from './action_types.js';
import { runCommand } from './client/command_client.js';
import { loadPanelFrom, providerActionOn, revokeGrantOn, type HostKind } from './client/host.js';
import { readServiceAddress, SERVICE_ADDRESS_UNKNOWN } from './client/service_address.js';
import type { CallOrigin } from './client/apps_client.js';
import { APP_ID } from './manifest.js';
import { sendPopupTo, whenPopupCloses } from './popup.js';
import { pluginConnectUrl, standaloneConnectUrl } from './safe_url.js';
import { getCallOrigin, getPanelState, type HostState } from './selectors.js';
import type { CallResponse } from './wire_types.js';

export type Thunk<R = Promise<void>> = (dispatch: AppDispatch, getState: () => HostState) => R;
export type AppDispatch = Dispatch<AnyAction> & (<R>(thunk: Thunk<R>) => R);

export const showNotice = (notice: Notice): PanelAction => ({ type: ActionTypes.NOTICE_SHOWN, notice });
export const dismissNotice = (): PanelAction => ({ type: ActionTypes.NOTICE_DISMISSED });

export function loadPanel(): Thunk {
  return async (dispatch, getState) => {
    // Focus, the popup closing and the websocket event often come together: while
    // a load runs, further asks collapse into one more load after it, whose answer
    // is sure to follow whatever change prompted them.
    if (getPanelState(getState()).status === 'loading') {
      dispatch<PanelAction>({ type: ActionTypes.PANEL_RELOAD_QUEUED });
      return;
    }
    dispatch<PanelAction>({ type: ActionTypes.PANEL_LOAD_STARTED });
    const { host, response: res } = await loadPanelFrom(getCallOrigin(getState()), getPanelState(getState()).host);
    if (host && res.type === 'ok' && isPanelData(res.data)) {
      dispatch<PanelAction>({ type: ActionTypes.PANEL_LOADED, data: res.data, host });
    } else {
      dispatch<PanelAction>({ type: ActionTypes.PANEL_LOAD_FAILED, error: failureText(res, 'load your connected accounts'), host });
    }
    if (getPanelState(getState()).reloadQueued) await dispatch(loadPanel());
  };
}

/** Reloads only a panel that has been shown: an event must not trigger a first load. */
export function reloadPanelIfShown(): Thunk {
  return async (dispatch, getState) => {
    if (getPanelState(getState()).status !== 'idle') await dispatch(loadPanel());
  };
}

/**
 * Connect (or reconnect). `popup` is the blank window the click opened, or null
 * when the browser blocked it.
 */
export function connectProvider(provider: PanelProvider, popup: Window | null): Thunk {
  return async (dispatch, getState) => {
    dispatch<PanelAction>({ type: ActionTypes.PROVIDER_ACTION_STARTED, providerId: provider.id, kind: 'connect' });
    const origin = getCallOrigin(getState());
    const host = getPanelState(getState()).host;
    const { res, url, serviceKnown } = await askConnectUrl(origin, host, provider);
    let notice: Notice;
    if (!url) {
      popup?.close();
      const sent = connectUrlOf(res);
      const text = !sent
        ? failureText(res, `connect ${provider.display_name}`)
        : serviceKnown
          ? `The app sent a sign-in address this page does not open. Ask a system admin to check the ${APP_ID} app.`
          : SERVICE_ADDRESS_UNKNOWN;
      notice = { kind: 'error', text };
    } else if (popup && !popup.closed) {
      sendPopupTo(popup, url);
      notice = { kind: 'info', text: `Finish signing in to ${provider.display_name} in the new window.` };
      const prompt = notice;
      whenPopupCloses(popup, () => {
        // The reloaded row tells the outcome; the prompt to sign in is stale by now.
        if (getPanelState(getState()).notice === prompt) dispatch(dismissNotice());
        void dispatch(loadPanel());
      });
    } else {
      notice = { kind: 'info', text: `The sign-in window for ${provider.display_name} was blocked or closed.`, link: url };
    }
    dispatch<PanelAction>({ type: ActionTypes.PROVIDER_ACTION_FINISHED, providerId: provider.id, notice });
  };
}

/**
 * The host's connect answer and the sign-in URL in it this page may open: the
 * Apps plugin's connect URL on this site, or the standalone service's link at
 * the address the admins recorded (read alongside the answer, never from it).
 */
async function askConnectUrl(origin: CallOrigin, host: HostKind | null, provider: PanelProvider) {
  if (host !== 'standalone') {
    const res = await providerActionOn(origin, host, 'connect', provider);
    return { res, url: pluginConnectUrl(connectUrlOf(res), origin.siteURL), serviceKnown: true };
  }
  const [res, serviceRoot] = await Promise.all([providerActionOn(origin, host, 'connect', provider), readServiceAddress(origin.siteURL)]);
  return { res, url: standaloneConnectUrl(connectUrlOf(res), serviceRoot), serviceKnown: serviceRoot !== null };
}

export function disconnectProvider(provider: PanelProvider): Thunk {
  return async (dispatch, getState) => {
    dispatch<PanelAction>({ type: ActionTypes.PROVIDER_ACTION_STARTED, providerId: provider.id, kind: 'disconnect' });
    const res = await providerActionOn(getCallOrigin(getState()), getPanelState(getState()).host, 'disconnect', provider);
    const notice: Notice =
      res.type === 'ok'
        ? { kind: 'info', text: res.text || `Disconnected from ${provider.display_name}.` }
        : { kind: 'error', text: failureText(res, `disconnect ${provider.display_name}`) };
    dispatch<PanelAction>({ type: ActionTypes.PROVIDER_ACTION_FINISHED, providerId: provider.id, notice });
    if (res.type === 'ok') await dispatch(loadPanel());
  };
}

/** Revoke one integration's grant at one provider; the client's next token request is refused. */
export function revokeGrant(provider: PanelProvider, grant: PanelGrant): Thunk {
  return async (dispatch, getState) => {
    const key = grantKey(provider.id, grant.client_id);
    dispatch<PanelAction>({ type: ActionTypes.PROVIDER_ACTION_STARTED, providerId: key, kind: 'revoke' });
    const res = await revokeGrantOn(getCallOrigin(getState()), getPanelState(getState()).host, provider, grant);
    const notice: Notice =
      res.type === 'ok'
        ? { kind: 'info', text: `Revoked: ${grant.client_name} can no longer use your ${provider.display_name} account.` }
        : { kind: 'error', text: failureText(res, `revoke ${grant.client_name}'s access`) };
    dispatch<PanelAction>({ type: ActionTypes.PROVIDER_ACTION_FINISHED, providerId: key, notice });
    if (res.type === 'ok') await dispatch(loadPanel());
  };
}

/** The host's own answer carries the dialog; Mattermost's webapp opens it only in the tab whose trigger id it holds. */
export const RECEIVED_DIALOG_TRIGGER_ID = 'RECEIVED_DIALOG_TRIGGER_ID';

/**
 * "Add a provider" on the standalone host: runs `/oauth2 provider add`, which
 * opens Mattermost's interactive dialog. Mattermost's own executeCommand action
 * records the answer's trigger id, and the dialog shows only in the tab that
 * holds it (docs/mattermost.md, "Running a command from the webapp"), so this
 * does the same.
 */
export function addProviderThroughCommand(): Thunk {
  return async (dispatch, getState) => {
    const outcome = await runCommand(getCallOrigin(getState()), 'provider add');
    if (outcome.kind === 'answer' && outcome.triggerId) dispatch({ type: RECEIVED_DIALOG_TRIGGER_ID, data: outcome.triggerId });
    if (outcome.kind === 'failed') dispatch(showNotice({ kind: 'error', text: outcome.text }));
    if (outcome.kind === 'absent')
      dispatch(showNotice({ kind: 'error', text: 'The /oauth2 command is not set up on this team: ask a system admin to run the setup again.' }));
  };
}

function isPanelData(data: unknown): data is PanelData {
  return !!data && typeof data === 'object' && Array.isArray((data as PanelData).providers);
}

/** The sign-in URL of a connect answer: ok with ConnectData, or navigate. */
export function connectUrlOf(res: CallResponse): string | null {
  if (res.type === 'navigate') return res.navigate_to_url || null;
  if (res.type !== 'ok') return null;
  const url = (res.data as Partial<ConnectData> | undefined)?.connect_url;
  return typeof url === 'string' && url ? url : null;
}

function failureText(res: CallResponse, what: string): string {
  if (res.type === 'error' && res.text) return res.text;
  if (res.type === 'ok' && res.text) return res.text;
  return `Could not ${what}: the app sent an unexpected answer.`;
}
