/** @jsxRuntime automatic */
import './setup.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EMPTY_TEXT } from '../../../webapp/components/connected_accounts/connected_accounts.js';
import { NOT_SET_UP } from '../../../webapp/client/host.js';
import { FakePopup, fakeCallEndpoint, panelData, renderPanel, SITE_URL } from './helpers.js';

let opened: unknown[][];
let popup: FakePopup | null;
beforeEach(() => {
  opened = [];
  popup = new FakePopup();
  window.open = ((...args: unknown[]) => {
    opened.push(args);
    return popup;
  }) as typeof window.open;
});

const row = (id: string) => document.querySelector<HTMLElement>(`[data-provider="${id}"]`)!;

describe('ConnectedAccounts panel', () => {
  test('when the call is in flight, then it says it is loading', async () => {
    fakeCallEndpoint(() => new Promise(() => {}));
    renderPanel();
    assert.ok(screen.getByRole('status').textContent?.includes('Loading your connected accounts'));
  });

  test('when it mounts, then it loads the panel data with the right call', async () => {
    const endpoint = fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData() } }));
    renderPanel();
    await screen.findByText('GitHub');
    const [call] = endpoint.calls;
    assert.equal(call?.url, `${SITE_URL}/plugins/com.mattermost.apps/api/v1/call`);
    assert.deepEqual(call?.body, {
      path: '/panel',
      expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
      values: {},
      context: { app_id: 'oauth2-connect', location: '/channel_header', channel_id: 'channel1', team_id: 'team1', user_agent: 'webapp' },
    });
  });

  test('when no provider is registered, then it says how an admin adds one', async () => {
    fakeCallEndpoint(() => ({ json: { type: 'ok', data: { providers: [], is_admin: false } } }));
    renderPanel();
    await screen.findByText(EMPTY_TEXT);
  });

  test('when neither the Apps plugin (HTTP 404) nor the /oauth2 command (HTTP 404) answers, then it says OAuth2 Connect is not set up', async () => {
    const endpoint = fakeCallEndpoint(() => ({ status: 404, text: '404 page not found' }));
    renderPanel();
    const alert = await screen.findByRole('alert');
    assert.ok(alert.textContent?.includes(NOT_SET_UP));
    assert.deepEqual(
      endpoint.calls.map((c) => c.url),
      [`${SITE_URL}/plugins/com.mattermost.apps/api/v1/call`, `${SITE_URL}/api/v4/commands/execute`],
    );
    assert.ok(screen.getByRole('button', { name: 'Try again' }));
  });

  test('when the app answers an error, then its text is shown', async () => {
    fakeCallEndpoint(() => ({ json: { type: 'error', text: 'The app could not read its store.' } }));
    renderPanel();
    assert.ok((await screen.findByRole('alert')).textContent?.includes('The app could not read its store.'));
  });

  test('when providers load, then each shows its state and the buttons that fit it', async () => {
    fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData() } }));
    renderPanel();
    await screen.findByText('GitHub');
    assert.match(row('github').textContent!, /Connected as octocat · since .+ · token expires in 2 hours/);
    assert.ok(within(row('github')).getByRole('button', { name: 'Disconnect GitHub' }));
    assert.equal(within(row('github')).queryByRole('button', { name: /^(Re)?[Cc]onnect GitHub/ }), null);
    assert.match(row('gitlab').textContent!, /Not connected/);
    assert.ok(within(row('gitlab')).getByRole('button', { name: 'Connect GitLab' }));
    assert.equal(within(row('gitlab')).queryByRole('button', { name: 'Disconnect GitLab' }), null);
    assert.match(row('google').textContent!, /Needs reconnecting: the refresh token was revoked/);
    assert.ok(within(row('google')).getByRole('button', { name: 'Reconnect Google' }));
    assert.ok(within(row('google')).getByRole('button', { name: 'Disconnect Google' }));
  });

  test('when a user is not an admin, then "Add a provider" is hidden; for an admin it shows', async () => {
    fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData() } }));
    const first = renderPanel();
    await screen.findByText('GitHub');
    assert.equal(screen.queryByRole('button', { name: 'Add a provider' }), null);
    first.unmount();
    fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData({ is_admin: true }) } }));
    renderPanel();
    assert.ok(await screen.findByRole('button', { name: 'Add a provider' }));
  });

  test('when Connect is clicked, then a window opens at once and is sent to the connect URL', async () => {
    const endpoint = fakeCallEndpoint((body) =>
      body.path === '/connect'
        ? {
            json: {
              type: 'ok',
              data: { connect_url: `${SITE_URL}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect`, provider: 'gitlab' },
            },
          }
        : { json: { type: 'ok', data: panelData() } },
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    assert.equal(opened.length, 1, 'the window opens inside the click, before the call returns');
    assert.equal(opened[0]?.[0], '');
    await waitFor(() => assert.match(popup!.location.href, /oauth2\/remote\/connect$/));
    assert.equal(popup!.opener, null);
    const connect = endpoint.calls.find((c) => c.body.path === '/connect')!;
    assert.deepEqual(connect.body.values, { provider: { label: 'GitLab', value: 'gitlab' } });
    assert.deepEqual(connect.body.expand, {
      acting_user: 'summary',
      acting_user_access_token: 'all',
      oauth2_app: 'all',
      oauth2_user: 'all',
    });
    await screen.findByText('Finish signing in to GitLab in the new window.');

    popup!.closed = true;
    await waitFor(() => assert.equal(endpoint.paths().filter((p) => p === '/panel').length, 2), { timeout: 2000 });
    assert.equal(screen.queryByText('Finish signing in to GitLab in the new window.'), null, 'the stale prompt is gone');
  });

  test('when the connect call fails, then the window closes and the error shows', async () => {
    fakeCallEndpoint((body) =>
      body.path === '/connect' ? { json: { type: 'error', text: 'GitLab is not configured.' } } : { json: { type: 'ok', data: panelData() } },
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    assert.ok((await screen.findByRole('alert')).textContent?.includes('GitLab is not configured.'));
    assert.equal(popup!.closed, true);
  });

  test('when the browser blocks the window, then it offers the sign-in link', async () => {
    popup = null;
    fakeCallEndpoint((body) =>
      body.path === '/connect'
        ? {
            json: {
              type: 'ok',
              data: { connect_url: `${SITE_URL}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect`, provider: 'gitlab' },
            },
          }
        : { json: { type: 'ok', data: panelData() } },
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    const link = await screen.findByRole('link', { name: 'Open the sign-in page' });
    assert.equal(link.getAttribute('href'), `${SITE_URL}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect`);
  });

  test('when Disconnect is clicked, then it calls disconnect, shows the answer and reloads', async () => {
    let connected = true;
    const endpoint = fakeCallEndpoint((body) => {
      if (body.path === '/disconnect') {
        connected = false;
        return { json: { type: 'ok', text: 'Disconnected from GitHub.' } };
      }
      const data = panelData();
      data.providers[0]!.connected = connected;
      return { json: { type: 'ok', data } };
    });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect GitHub' }));
    await screen.findByText('Disconnected from GitHub.');
    await waitFor(() => assert.match(row('github').textContent!, /Not connected/));
    const disconnect = endpoint.calls.find((c) => c.body.path === '/disconnect')!;
    assert.deepEqual(disconnect.body.values, { provider: { label: 'GitHub', value: 'github' } });
    assert.deepEqual(endpoint.paths(), ['/panel', '/disconnect', '/panel']);
  });

  test('when the window regains focus, then the panel reloads', async () => {
    const endpoint = fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData() } }));
    renderPanel();
    await screen.findByText('GitHub');
    fireEvent.focus(window);
    await waitFor(() => assert.deepEqual(endpoint.paths(), ['/panel', '/panel']));
  });
});
