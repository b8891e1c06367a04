/** @jsxRuntime automatic */
import './setup.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { waitFor } from '@testing-library/react';
import type { ComponentType } from 'react';
import { ICON_DATA_URL } from '../../../webapp/assets/icon.js';
import { ConnectedAccounts } from '../../../webapp/components/connected_accounts/connected_accounts.js';
import { APPS_REFRESH_EVENT, PLUGIN_ID } from '../../../webapp/manifest.js';
import { Plugin } from '../../../webapp/plugin.js';
import { panelReducer } from '../../../webapp/reducer.js';
import type { PluginRegistry, UserSettingsRegistration } from '../../../webapp/registry_types.js';
import { fakeCallEndpoint, makeStore, panelData } from './helpers.js';

const TOGGLE = { type: 'TOGGLE_RHS_PLUGIN', id: 'rhs1' };

function fakeRegistry(modern: boolean) {
  const calls: Record<string, unknown[][]> = {};
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      (calls[name] ??= []).push(args);
      return name === 'registerRightHandSidebarComponent' ? { id: 'rhs1', toggleRHSPlugin: TOGGLE } : 'id';
    };
  const registry = {
    registerReducer: record('registerReducer'),
    registerWebSocketEventHandler: record('registerWebSocketEventHandler'),
    registerRightHandSidebarComponent: record('registerRightHandSidebarComponent'),
    registerChannelHeaderButtonAction: record('registerChannelHeaderButtonAction'),
    ...(modern
      ? {
          registerAppBarComponent: record('registerAppBarComponent'),
          registerUserSettings: record('registerUserSettings'),
          registerReconnectHandler: record('registerReconnectHandler'),
        }
      : {}),
  } as unknown as PluginRegistry;
  return { registry, calls };
}

describe('Plugin.initialize', () => {
  test('when the host has an App Bar and user settings, then the panel is registered in both', () => {
    const { registry, calls } = fakeRegistry(true);
    const store = makeStore();
    const dispatched: unknown[] = [];
    const dispatch = store.dispatch;
    store.dispatch = ((a: never) => (dispatched.push(a), dispatch(a))) as never;
    new Plugin().initialize(registry, store);

    assert.equal(calls.registerReducer?.[0]?.[0], panelReducer);
    assert.deepEqual(calls.registerRightHandSidebarComponent?.[0], [ConnectedAccounts, 'Connected accounts']);
    const [iconUrl, action, tooltip] = calls.registerAppBarComponent![0]!;
    assert.equal(iconUrl, ICON_DATA_URL);
    assert.equal(tooltip, 'Connected accounts');
    (action as () => void)();
    assert.deepEqual(dispatched, [TOGGLE], 'the App Bar button toggles the panel');
    assert.equal(calls.registerChannelHeaderButtonAction, undefined);
    const settings = calls.registerUserSettings![0]![0] as UserSettingsRegistration;
    assert.equal(settings.id, PLUGIN_ID);
    assert.deepEqual(
      settings.sections.map((s) => [s.title, s.component as ComponentType]),
      [['Connected accounts', ConnectedAccounts]],
    );
  });

  test('when the host lacks the App Bar and user settings, then a channel header button opens the panel', () => {
    const { registry, calls } = fakeRegistry(false);
    new Plugin().initialize(registry, makeStore());
    const [icon, , dropdownText, tooltipText] = calls.registerChannelHeaderButtonAction![0]!;
    assert.ok(icon);
    assert.deepEqual([dropdownText, tooltipText], ['Connected accounts', 'Connected accounts']);
  });

  test('when refresh_bindings arrives or the websocket reconnects, then a panel that was shown reloads; one never shown does not', async () => {
    const { registry, calls } = fakeRegistry(true);
    const store = makeStore();
    new Plugin().initialize(registry, store);
    const [event, handler] = calls.registerWebSocketEventHandler![0]! as [string, (m: unknown) => void];
    assert.equal(event, APPS_REFRESH_EVENT);

    const endpoint = fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData() } }));
    handler({ event });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(endpoint.paths(), [], 'no load for a panel nobody opened');

    store.dispatch({ type: 'com.github.oauth2-connect.webapp/PANEL_LOADED', data: panelData() });
    handler({ event });
    await waitFor(() => assert.deepEqual(endpoint.paths(), ['/panel']));

    const [onReconnect] = calls.registerReconnectHandler![0]! as [() => void];
    onReconnect();
    await waitFor(() => assert.deepEqual(endpoint.paths(), ['/panel', '/panel']), { timeout: 1000 });
  });
});
