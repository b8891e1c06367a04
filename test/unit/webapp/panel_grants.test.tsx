/** @jsxRuntime automatic */
// The integrations a user allowed (token API grants) in the panel: shown under
// their provider on the standalone host with scopes and last use, revoked one
// at a time through /oauth2 __revoke <client> <provider>; the Apps host sends
// no grants and the panel shows no such section.
import './setup.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { PanelData, PanelGrant } from '../../../src/hosts/apps/protocol/panel_types.js';
import { commandsOf, executed, fakeCallEndpoint, HOUR, panelData, renderPanel, standaloneServer } from './helpers.js';

const NOW = Date.now();
const ISSUE_BOT: PanelGrant = {
  client_id: 'issue-bot',
  client_name: 'Issue bot',
  scopes: ['repo', 'read:user'],
  granted_at: NOW - 48 * HOUR,
  last_used_at: NOW - 2 * HOUR,
};
const CALENDAR: PanelGrant = { client_id: 'calendar', client_name: 'Calendar', scopes: [], granted_at: NOW - HOUR };

/** The panel data with `grants` on GitHub, and an empty list on the others, as the standalone host sends it. */
function withGrants(grants: PanelGrant[]): PanelData {
  const data = panelData();
  data.providers = data.providers.map((p) => ({ ...p, grants: p.id === 'github' ? grants : [] }));
  return data;
}

const grantsOf = (providerId: string) => document.querySelector<HTMLElement>(`[data-provider="${providerId}"] ul`);

describe('grants in the panel', () => {
  test('when the standalone host sends grants, then each shows under its provider with its scopes and last use, and no other provider shows any', async () => {
    standaloneServer(() => executed({ type: 'ok', data: withGrants([ISSUE_BOT, CALENDAR]) }));
    renderPanel();
    const list = await screen.findByRole('list', { name: 'Integrations allowed to use your GitHub account' });
    const items = within(list).getAllByRole('listitem');
    assert.deepEqual(
      items.map((li) => li.textContent),
      ['Issue botScopes: repo, read:user · last used 2 hours agoRevoke', 'CalendarNo scopes · never usedRevoke'],
    );
    assert.equal(grantsOf('gitlab'), null);
    assert.equal(grantsOf('google'), null);
  });

  test('when Revoke is clicked, then __revoke <client> <provider> runs, the button waits, the notice names both, and the list reloads without it', async () => {
    let granted = [ISSUE_BOT, CALENDAR];
    let answerRevoke: () => void = () => {};
    const endpoint = standaloneServer((text) => {
      if (text === '__panel') return executed({ type: 'ok', data: withGrants(granted) });
      return new Promise((resolve) => {
        answerRevoke = () => {
          granted = [CALENDAR];
          resolve(executed({ type: 'ok' }));
        };
      });
    });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: "Revoke Issue bot's access to GitHub" }));
    const waiting = await screen.findByRole('button', { name: "Revoke Issue bot's access to GitHub" });
    await waitFor(() => assert.equal(waiting.textContent, 'Revoking…'));
    assert.equal((waiting as HTMLButtonElement).disabled, true);
    assert.equal(screen.getByRole('button', { name: "Revoke Calendar's access to GitHub" }).hasAttribute('disabled'), false, 'only that grant waits');
    assert.equal(screen.getByRole('button', { name: 'Disconnect GitHub' }).hasAttribute('disabled'), false);
    answerRevoke();
    await screen.findByText('Revoked: Issue bot can no longer use your GitHub account.');
    await waitFor(() => assert.equal(screen.queryByRole('button', { name: "Revoke Issue bot's access to GitHub" }), null));
    assert.ok(screen.getByRole('button', { name: "Revoke Calendar's access to GitHub" }));
    assert.deepEqual(commandsOf(endpoint), ['/oauth2 __panel', '/oauth2 __revoke issue-bot github', '/oauth2 __panel']);
  });

  test('when the service refuses the revoke, then its text is shown and the grant stays', async () => {
    standaloneServer((text) =>
      text === '__panel'
        ? executed({ type: 'ok', data: withGrants([ISSUE_BOT]) })
        : executed({ type: 'error', text: 'You have no grant to `issue-bot` for `github`. See yours with `/oauth2 grants list`.' }),
    );
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: "Revoke Issue bot's access to GitHub" }));
    assert.match((await screen.findByRole('alert')).textContent ?? '', /You have no grant to `issue-bot`/);
    assert.equal(screen.getByRole('button', { name: "Revoke Issue bot's access to GitHub" }).textContent, 'Revoke');
  });

  test('when the Apps host answers (no grants in its data), then the panel shows no grants section', async () => {
    fakeCallEndpoint(() => ({ json: { type: 'ok', data: panelData() } }));
    renderPanel();
    await screen.findByText('GitHub');
    assert.equal(screen.queryByText(/Integrations you allowed/), null);
    assert.equal(screen.queryByRole('button', { name: /^Revoke/ }), null);
  });
});
