/** @jsxRuntime automatic */
// The panel on a server without the Apps plugin (Mattermost v12): it finds the
// standalone service's /oauth2 command and talks to it through commands/execute
// with the user's session; the answers are the service's props.
import './setup.js';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { AnyAction } from 'redux';
import { Messages } from '../../../webapp/client/apps_client.js';
import { CommandMessages } from '../../../webapp/client/command_client.js';
import { commandsOf, EXECUTE, executed, FakePopup, makeStore, panelData, renderPanel, standaloneServer } from './helpers.js';

const LINK = 'https://oauth2.example.com/standalone/connect?l=one-time-value';

let popup: FakePopup;
beforeEach(() => {
  popup = new FakePopup();
  window.open = (() => popup) as unknown as typeof window.open;
  document.cookie = 'MMCSRF=csrf-token-1';
});
// The panel watches a sign-in window until it closes (at most 15 minutes): close it, or its timer keeps this process alive.
afterEach(() => popup.close());

describe('ConnectedAccounts on the standalone host', () => {
  test('when the Apps plugin is absent, then the panel runs /oauth2 __panel with the session and shows its props', async () => {
    const endpoint = standaloneServer(() => executed({ type: 'ok', data: panelData() }));
    renderPanel();
    await screen.findByText('GitHub');
    const call = endpoint.calls.find((c) => c.url === EXECUTE)!;
    assert.deepEqual(call.body, { command: '/oauth2 __panel', channel_id: 'channel1', team_id: 'team1' });
    const headers = call.init.headers as Record<string, string>;
    assert.equal(headers['X-Requested-With'], 'XMLHttpRequest');
    assert.equal(headers['X-CSRF-Token'], 'csrf-token-1');
    assert.equal(call.init.credentials, 'include');
  });

  test('when the standalone host answered once, then a reload asks it directly, not the Apps plugin', async () => {
    const endpoint = standaloneServer(() => executed({ type: 'ok', data: panelData() }));
    renderPanel();
    await screen.findByText('GitHub');
    const before = endpoint.calls.length;
    fireEvent.focus(window);
    await waitFor(() => assert.equal(endpoint.calls.length, before + 1));
    assert.equal(endpoint.calls.at(-1)?.url, EXECUTE);
  });

  test('when Connect is clicked, then __connect <id> runs and the one-time link opens in the window', async () => {
    const endpoint = standaloneServer((text) =>
      text === '__panel' ? executed({ type: 'ok', data: panelData() }) : executed({ type: 'ok', data: { connect_url: LINK, provider: 'gitlab' } }),
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    await waitFor(() => assert.equal(popup.location.href, LINK));
    assert.equal(popup.opener, null);
    assert.ok(commandsOf(endpoint).includes('/oauth2 __connect gitlab'));
  });

  test("when the sign-in window closes itself after the flow (as the service's success page does), then __panel runs again and the row shows the account", async () => {
    let connected = false;
    const endpoint = standaloneServer((text) => {
      if (text.startsWith('__connect')) return executed({ type: 'ok', data: { connect_url: LINK, provider: 'gitlab' } });
      const data = panelData();
      data.providers[1]!.connected = connected;
      if (connected) data.providers[1]!.account_label = 'jane-gl';
      return executed({ type: 'ok', data });
    });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    await waitFor(() => assert.equal(popup.location.href, LINK));
    // The flow completes at the provider; the success page closes the window. No focus event: the window's closing alone reloads.
    connected = true;
    popup.closed = true;
    await screen.findByText(/Connected as jane-gl/, undefined, { timeout: 2000 });
    assert.ok(commandsOf(endpoint).includes('/oauth2 __connect gitlab'));
  });

  test('when the service sends a link that is not its connect page, then the window is closed and nothing opens', async () => {
    standaloneServer((text) =>
      text === '__panel'
        ? executed({ type: 'ok', data: panelData() })
        : executed({ type: 'ok', data: { connect_url: 'javascript:alert(1)//standalone/connect?l=x' } }),
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    await screen.findByText(/sign-in address this page does not open/);
    assert.equal(popup.closed, true);
    assert.equal(popup.location.href, 'about:blank');
  });

  test('when Disconnect is clicked, then __disconnect <id> runs, its text is shown and the list reloads', async () => {
    let connected = true;
    const endpoint = standaloneServer((text) => {
      if (text.startsWith('__disconnect')) return ((connected = false), executed({ type: 'ok', text: 'Disconnected your GitHub account.' }));
      const data = panelData();
      data.providers[0]!.connected = connected;
      return executed({ type: 'ok', data });
    });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect GitHub' }));
    await screen.findByText('Disconnected your GitHub account.');
    await screen.findByRole('button', { name: 'Connect GitHub' });
    assert.ok(commandsOf(endpoint).includes('/oauth2 __disconnect github'));
  });

  test('when the service refuses (error in props), then its text is shown', async () => {
    standaloneServer((text) =>
      text === '__panel' ? executed({ type: 'ok', data: panelData() }) : executed({ type: 'error', text: 'You are not connected to GitHub.' }),
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect GitHub' }));
    await screen.findByText('You are not connected to GitHub.');
  });

  for (const [what, status, message] of [
    ['the service is down (Mattermost answers 500)', 500, CommandMessages.serviceDown],
    ['the Mattermost session expired (401)', 401, Messages.sessionExpired],
  ] as const) {
    test(`when ${what}, then the panel says so and offers Try again`, async () => {
      standaloneServer(() => ({ status, json: { id: 'api.command.execute_command.failed.app_error', message: 'secret detail' } }));
      renderPanel();
      const alert = await screen.findByRole('alert');
      assert.ok(alert.textContent?.includes(message), alert.textContent ?? '');
      assert.ok(!alert.textContent?.includes('secret detail'));
      assert.ok(screen.getByRole('button', { name: 'Try again' }));
    });
  }

  test('when /oauth2 is some other command (no props), then the panel says OAuth2 Connect is not set up', async () => {
    standaloneServer(() => ({ json: { response_type: 'ephemeral', text: 'hello' } }));
    renderPanel();
    assert.match((await screen.findByRole('alert')).textContent ?? '', /OAuth2 Connect is not set up on this server/);
  });

  test('when an admin clicks Add a provider, then /oauth2 provider add runs and the trigger id is handed to the host', async () => {
    const seen: AnyAction[] = [];
    const endpoint = standaloneServer((text) =>
      text === '__panel'
        ? executed({ type: 'ok', data: panelData({ is_admin: true }) })
        : { json: { response_type: 'ephemeral', text: '', trigger_id: 'trigger-42' } },
    );
    renderPanel(makeStore(seen));
    fireEvent.click(await screen.findByRole('button', { name: 'Add a provider' }));
    await waitFor(() => assert.ok(seen.some((a) => a.type === 'RECEIVED_DIALOG_TRIGGER_ID')));
    assert.deepEqual(
      seen.find((a) => a.type === 'RECEIVED_DIALOG_TRIGGER_ID'),
      { type: 'RECEIVED_DIALOG_TRIGGER_ID', data: 'trigger-42' },
    );
    assert.ok(commandsOf(endpoint).includes('/oauth2 provider add'));
    assert.equal(screen.queryByRole('dialog'), null, 'no Apps form modal on the standalone host');
  });
});
