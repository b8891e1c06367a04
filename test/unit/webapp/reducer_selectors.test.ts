import './setup.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPanel } from '../../../webapp/actions.js';
import { ActionTypes } from '../../../webapp/action_types.js';
import { STATE_KEY } from '../../../webapp/manifest.js';
import { initialPanelState, panelReducer, type PanelState } from '../../../webapp/reducer.js';
import { getCallOrigin, getPanelState, type HostState } from '../../../webapp/selectors.js';
import { fakeCallEndpoint, makeStore, panelData } from './helpers.js';

const data = { providers: [{ id: 'github', display_name: 'GitHub', preset: 'github', connected: false }], is_admin: true };
const host = (panel: PanelState): HostState => ({ [STATE_KEY]: panel });

describe('action types', () => {
  test('when listed, then every type is prefixed with the plugin id', () => {
    for (const type of Object.values(ActionTypes)) assert.match(type, /^com\.github\.oauth2-connect\.webapp\/[A-Z_]+$/);
  });
});

describe('panelReducer', () => {
  test('when a load starts, succeeds and a reload fails, then the data from the success is kept', () => {
    let s = panelReducer(undefined, { type: ActionTypes.PANEL_LOAD_STARTED });
    assert.equal(s.status, 'loading');
    s = panelReducer(s, { type: ActionTypes.PANEL_LOADED, data, host: 'apps' });
    assert.deepEqual([s.status, s.data, s.error, s.host], ['loaded', data, null, 'apps']);
    s = panelReducer(s, { type: ActionTypes.PANEL_LOAD_FAILED, error: 'nope', host: 'apps' });
    assert.deepEqual([s.status, s.data, s.error], ['error', data, 'nope']);
  });

  test('when a provider action starts and finishes, then it is pending in between and the notice is set', () => {
    let s = panelReducer(initialPanelState, { type: ActionTypes.PROVIDER_ACTION_STARTED, providerId: 'github', kind: 'connect' });
    assert.equal(s.pending.github, 'connect');
    s = panelReducer(s, { type: ActionTypes.PROVIDER_ACTION_FINISHED, providerId: 'github', notice: { kind: 'info', text: 'ok' } });
    assert.equal(s.pending.github, undefined);
    assert.deepEqual(s.notice, { kind: 'info', text: 'ok' });
    s = panelReducer(s, { type: ActionTypes.NOTICE_DISMISSED });
    assert.equal(s.notice, null);
  });

  test('when an action is not ours, then the state is unchanged', () => {
    assert.equal(panelReducer(initialPanelState, { type: 'OTHER' } as never), initialPanelState);
  });
});

describe('selectors', () => {
  test('when the slice is not registered yet, then the initial state is read', () => {
    assert.equal(getPanelState({}), initialPanelState);
  });

  test('when the slice is registered, then it is the state read', () => {
    const slice: PanelState = { ...initialPanelState, status: 'loading', data };
    assert.equal(getPanelState(host(slice)), slice);
  });

  test('when SiteURL is configured, then calls go there with the current channel and team', () => {
    const state: HostState = {
      entities: { general: { config: { SiteURL: 'https://mm' } }, channels: { currentChannelId: 'c' }, teams: { currentTeamId: 't' } },
    };
    assert.deepEqual(getCallOrigin(state), { siteURL: 'https://mm', location: '/channel_header', channelId: 'c', teamId: 't' });
  });

  test('when SiteURL is empty, then the page origin is used', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'location');
    Object.defineProperty(globalThis, 'location', { value: { origin: 'http://127.0.0.1:8065' }, configurable: true });
    try {
      assert.equal(getCallOrigin({ entities: { general: { config: { SiteURL: '' } } } }).siteURL, 'http://127.0.0.1:8065');
    } finally {
      if (saved) Object.defineProperty(globalThis, 'location', saved);
      else delete (globalThis as { location?: unknown }).location;
    }
  });
});

describe('loadPanel', () => {
  test('when reloads are asked during a load, then exactly one more load runs after it and its data wins', async () => {
    const releases: Array<() => void> = [];
    let served = 0;
    const endpoint = fakeCallEndpoint(async () => {
      const n = ++served;
      await new Promise<void>((release) => releases.push(release));
      return { json: { type: 'ok', data: panelData({ is_admin: n === 2 }) } };
    });
    const store = makeStore();
    const first = store.dispatch(loadPanel());
    await store.dispatch(loadPanel());
    await store.dispatch(loadPanel());
    assert.equal(endpoint.calls.length, 1, 'asks during a load do not start their own');
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(endpoint.calls.length, 2);
    releases.shift()!();
    await first;
    assert.equal(endpoint.calls.length, 2);
    assert.equal(getPanelState(store.getState()).data?.is_admin, true, 'the later answer is the one kept');
  });
});
