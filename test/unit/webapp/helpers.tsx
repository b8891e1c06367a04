/** @jsxRuntime automatic */
// A host store like the Mattermost webapp's (thunk middleware, the plugin's slice
// under its key), a fake of the Apps plugin's call endpoint on globalThis.fetch,
// and panel data to answer with.
import { render } from '@testing-library/react';
import { Provider } from 'react-redux';
import { applyMiddleware, createStore, type AnyAction, type Middleware, type Store } from 'redux';
import type { PanelData } from '../../../src/hosts/apps/protocol/panel_types.js';
import type { AppDispatch } from '../../../webapp/actions.js';
import { ConnectedAccounts } from '../../../webapp/components/connected_accounts/connected_accounts.js';
import { STATE_KEY } from '../../../webapp/manifest.js';
import { panelReducer } from '../../../webapp/reducer.js';
import type { HostState } from '../../../webapp/selectors.js';
import type { CallRequest } from '../../../webapp/wire_types.js';

export const SITE_URL = 'https://mm.example.com';

const thunk: Middleware = (api) => (next) => (action) => (typeof action === 'function' ? action(api.dispatch, api.getState) : next(action));

/** `seen` collects every plain action dispatched (the host's own types included). */
export function makeStore(seen: AnyAction[] = []): Store<HostState> & { dispatch: AppDispatch } {
  const entities = {
    general: { config: { SiteURL: SITE_URL } },
    channels: { currentChannelId: 'channel1' },
    teams: { currentTeamId: 'team1' },
  };
  const reducer = (state: HostState | undefined, action: AnyAction): HostState => ({
    entities,
    [STATE_KEY]: panelReducer(state?.[STATE_KEY], action as never),
  });
  const record: Middleware = () => (next) => (action) => (seen.push(action as AnyAction), next(action));
  return createStore(reducer, applyMiddleware(thunk, record)) as never;
}

export interface RecordedCall {
  url: string;
  init: RequestInit;
  body: CallRequest;
}

export type Answer = { status?: number; json?: unknown; text?: string } | 'network-error';

/** Replaces globalThis.fetch; `answer` picks the reply by call path (or by URL: a GET has no body, and `{}` stands for it). */
export function fakeCallEndpoint(answer: (body: CallRequest, url: string) => Answer | Promise<Answer>) {
  const calls: RecordedCall[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    const body = (init.body === undefined ? {} : JSON.parse(String(init.body))) as CallRequest;
    calls.push({ url, init, body });
    const reply = await answer(body, url);
    if (reply === 'network-error') throw new TypeError('fetch failed');
    const text = reply.text ?? JSON.stringify(reply.json);
    return new Response(text, { status: reply.status ?? 200 });
  }) as typeof fetch;
  return { calls, paths: () => calls.map((c) => c.body.path) };
}

export const HOUR = 3_600_000;

export function panelData(overrides: Partial<PanelData> = {}): PanelData {
  const now = Date.now();
  return {
    is_admin: false,
    providers: [
      {
        id: 'github',
        display_name: 'GitHub',
        preset: 'github',
        connected: true,
        account_label: 'octocat',
        connected_at: now - 48 * HOUR,
        expires_at: now + 2 * HOUR,
      },
      { id: 'gitlab', display_name: 'GitLab', preset: 'gitlab', connected: false },
      {
        id: 'google',
        display_name: 'Google',
        preset: 'google',
        connected: true,
        account_label: 'jane@example.com',
        broken: true,
        broken_reason: 'the refresh token was revoked',
      },
    ],
    ...overrides,
  };
}

export function renderPanel(store = makeStore()) {
  const view = render(
    <Provider store={store}>
      <ConnectedAccounts />
    </Provider>,
  );
  return { store, ...view };
}

/** A stand-in for the window window.open returns. */
export class FakePopup {
  closed = false;
  opener: unknown = {};
  location = { href: 'about:blank' };
  document = { title: '' };
  close() {
    this.closed = true;
  }
}

/** The service's bot as GET /api/v4/users/username/oauth2-connect returns it once setup recorded `root`. */
export function serviceBotRecord(root: string, overrides: Record<string, unknown> = {}) {
  return {
    id: 'botuserid00000000000000000',
    username: 'oauth2-connect',
    is_bot: true,
    delete_at: 0,
    roles: 'system_user system_admin',
    props: { oauth2_connect_service_url: root },
    ...overrides,
  };
}

export const EXECUTE = `${SITE_URL}/api/v4/commands/execute`;

/** Mattermost's execute reply for a service answer: the processed CommandResponse, props kept. */
export const executed = (answer: unknown, extra: Record<string, unknown> = {}): Answer => ({
  json: { response_type: 'ephemeral', text: '', props: { oauth2_connect: answer, from_webhook: 'true' }, trigger_id: 'client-trigger', ...extra },
});

/** The Apps plugin is absent (HTTP 404); the command answers with `service(text)`; setup recorded the service's address on its bot. */
export function standaloneServer(service: (text: string) => Answer | Promise<Answer>) {
  return fakeCallEndpoint((body, url) => {
    if (url === `${SITE_URL}/api/v4/users/username/oauth2-connect`) return { json: serviceBotRecord('https://oauth2.example.com') };
    const command = (body as unknown as { command?: string }).command;
    if (command === undefined) return { status: 404, text: '404 page not found' };
    return service(command.replace(/^\/oauth2 /, ''));
  });
}

export const commandsOf = (endpoint: ReturnType<typeof fakeCallEndpoint>) =>
  endpoint.calls.filter((c) => c.url === EXECUTE).map((c) => (c.body as unknown as { command: string }).command);
