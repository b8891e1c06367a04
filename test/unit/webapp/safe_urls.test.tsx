/** @jsxRuntime automatic */
// The panel opens and links only URLs it expects: the Apps plugin's connect URL
// on this site for the sign-in window, plain http(s) for other links; never a
// javascript:, data: or vbscript: URL taken from an App answer.
import './setup.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { NoticeBar } from '../../../webapp/components/connected_accounts/notice_bar.js';
import { FakePopup, fakeCallEndpoint, panelData, renderPanel, SITE_URL } from './helpers.js';

const CONNECT_URL = `${SITE_URL}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect`;
const HOSTILE = [
  'javascript:alert(document.cookie)',
  ' JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'https://evil.example/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect',
  `${SITE_URL}/plugins/com.mattermost.apps/apps/other-app/oauth2/remote/connect`,
  `${SITE_URL.replace('https:', 'http:')}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect`,
];

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

const answerConnect = (answer: unknown) =>
  fakeCallEndpoint((body) => (body.path === '/connect' ? { json: answer } : { json: { type: 'ok', data: panelData({ is_admin: true }) } }));

describe('URLs from App answers', () => {
  for (const url of HOSTILE) {
    test(`when the connect answer carries ${JSON.stringify(url)}, then the window is closed unvisited and no link is offered`, async () => {
      answerConnect({ type: 'ok', data: { connect_url: url, provider: 'gitlab' } });
      renderPanel();
      fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
      assert.match((await screen.findByRole('alert')).textContent!, /sign-in address this page does not open/);
      assert.equal(popup!.location.href, 'about:blank');
      assert.equal(popup!.closed, true);
      assert.equal(screen.queryByRole('link'), null);
    });
  }

  test('when a navigate answer carries a javascript: URL and the window was blocked, then no link is offered', async () => {
    popup = null;
    answerConnect({ type: 'navigate', navigate_to_url: 'javascript:alert(1)' });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    await screen.findByRole('alert');
    assert.equal(screen.queryByRole('link'), null);
  });

  test("when the connect URL is the plugin's on this site (with a query), then the window goes there", async () => {
    answerConnect({ type: 'ok', data: { connect_url: `${CONNECT_URL}?provider=gitlab`, provider: 'gitlab' } });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
    await waitFor(() => assert.equal(popup!.location.href, `${CONNECT_URL}?provider=gitlab`));
    popup!.closed = true; // ends the panel's watch on the window
  });

  test('when a notice carries a javascript: link, then it is shown without the link; an https link is kept', () => {
    render(<NoticeBar notice={{ kind: 'info', text: 'Blocked.', link: 'javascript:alert(1)' }} onDismiss={() => undefined} />);
    assert.ok(screen.getByText('Blocked.'));
    assert.equal(screen.queryByRole('link'), null);
    render(<NoticeBar notice={{ kind: 'info', text: 'Open it.', link: CONNECT_URL }} onDismiss={() => undefined} />);
    assert.equal(screen.getByRole('link').getAttribute('href'), CONNECT_URL);
  });

  test('when the add-provider form answers navigate to a javascript: URL, then nothing opens and the modal says why', async () => {
    fakeCallEndpoint((body) => {
      if (body.path === '/panel') return { json: { type: 'ok', data: panelData({ is_admin: true }) } };
      if (body.path === '/provider/add/form') {
        return {
          json: {
            type: 'form',
            form: { title: 'Add', submit: { path: '/provider/add' }, fields: [{ name: 'client_id', type: 'text', modal_label: 'Client ID' }] },
          },
        };
      }
      return { json: { type: 'navigate', navigate_to_url: 'javascript:alert(document.domain)' } };
    });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Add a provider' }));
    await screen.findByLabelText(/Client ID/);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    assert.match((await screen.findByRole('alert')).textContent!, /link this page does not open/);
    assert.equal(opened.length, 0);
  });
});
