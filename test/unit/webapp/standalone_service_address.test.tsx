/** @jsxRuntime automatic */
// On the standalone host the panel opens a connect link only at the service's
// address that `oauth2-connect setup` recorded on the service's bot (a record only a
// system admin can change), never at an address a command answer names: a team
// admin can point the team's /oauth2 at a server of their own.
import './setup.js';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { SERVICE_ADDRESS_UNKNOWN, serviceAddressOf } from '../../../webapp/client/service_address.js';
import { standaloneConnectUrl } from '../../../webapp/safe_url.js';
import { FakePopup, fakeCallEndpoint, panelData, renderPanel, serviceBotRecord, SITE_URL, type Answer } from './helpers.js';

const ROOT = 'https://oauth2.example.com';
const BOT_URL = `${SITE_URL}/api/v4/users/username/oauth2-connect`;
const NOT_OPENED = /sign-in address this page does not open/;

describe('standaloneConnectUrl', () => {
  test('when the link is the connect page under the recorded root, then it is accepted as sent', () => {
    assert.equal(standaloneConnectUrl(`${ROOT}/standalone/connect?l=abc`, ROOT), `${ROOT}/standalone/connect?l=abc`);
    assert.equal(standaloneConnectUrl(`${ROOT}/svc/standalone/connect?l=abc`, `${ROOT}/svc`), `${ROOT}/svc/standalone/connect?l=abc`);
  });

  for (const [what, link, root] of [
    ["another server's connect page (a team admin's own service)", 'https://evil.example/standalone/connect?l=abc', ROOT],
    ['the same host over http', 'http://oauth2.example.com/standalone/connect?l=abc', ROOT],
    ['the same host on another port', 'https://oauth2.example.com:8443/standalone/connect?l=abc', ROOT],
    ['a page outside the recorded path', `${ROOT}/other/standalone/connect?l=abc`, `${ROOT}/svc`],
    ['another page of the service', `${ROOT}/standalone/complete/idp?l=abc`, ROOT],
    ['a link without its one-time value', `${ROOT}/standalone/connect`, ROOT],
    ['a link with a fragment', `${ROOT}/standalone/connect?l=abc#x`, ROOT],
    ['a javascript: URL', 'javascript:alert(1)//standalone/connect?l=x', ROOT],
    ['the right link while no address is recorded', `${ROOT}/standalone/connect?l=abc`, null],
  ] as const) {
    test(`when the link is ${what}, then it is refused`, () => {
      assert.equal(standaloneConnectUrl(link, root), null);
    });
  }
});

describe("serviceAddressOf (the bot's user record)", () => {
  test('when the record is an active bot, regular or admin, then its recorded root is read (trailing slash dropped)', () => {
    assert.equal(serviceAddressOf(serviceBotRecord(ROOT)), ROOT);
    assert.equal(serviceAddressOf(serviceBotRecord(ROOT, { roles: 'system_user' })), ROOT);
    assert.equal(serviceAddressOf(serviceBotRecord(`${ROOT}/svc/`)), `${ROOT}/svc`);
  });

  for (const [what, record] of [
    ['a person, not a bot (a user who took the name)', serviceBotRecord(ROOT, { is_bot: false })],
    ['a deactivated bot', serviceBotRecord(ROOT, { delete_at: 1700000000000 })],
    ['a bot without the prop', serviceBotRecord(ROOT, { props: {} })],
    ['a javascript: address', serviceBotRecord('javascript:alert(1)')],
    ['an address with credentials', serviceBotRecord('https://user:pw@oauth2.example.com')],
    ['an address with a query', serviceBotRecord(`${ROOT}/?x=1`)],
  ] as const) {
    test(`when the record is ${what}, then no address is known`, () => {
      assert.equal(serviceAddressOf(record), null);
    });
  }
});

describe('Connect on the standalone host', () => {
  let popup: FakePopup;
  beforeEach(() => {
    popup = new FakePopup();
    window.open = (() => popup) as unknown as typeof window.open;
  });
  afterEach(() => popup.close());

  /** No Apps plugin; `/oauth2 __connect` answers `link`; the bot lookup answers `bot`. */
  function server(link: string, bot: Answer) {
    return fakeCallEndpoint((body, url) => {
      if (url === BOT_URL) return bot;
      const command = (body as unknown as { command?: string }).command;
      if (command === undefined) return { status: 404, text: '404 page not found' };
      const answer = command.endsWith('__panel') ? { type: 'ok', data: panelData() } : { type: 'ok', data: { connect_url: link, provider: 'gitlab' } };
      return { json: { response_type: 'ephemeral', text: '', props: { oauth2_connect: answer } } };
    });
  }

  async function clickConnect() {
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect GitLab' }));
  }

  test("when the answer's link is at the recorded address, then the window goes there; the bot was read with the session", async () => {
    const endpoint = server(`${ROOT}/standalone/connect?l=one-time`, { json: serviceBotRecord(ROOT) });
    await clickConnect();
    await waitFor(() => assert.equal(popup.location.href, `${ROOT}/standalone/connect?l=one-time`));
    const lookup = endpoint.calls.find((c) => c.url === BOT_URL)!;
    assert.equal(lookup.init.method, 'get');
    assert.equal((lookup.init.headers as Record<string, string>)['X-Requested-With'], 'XMLHttpRequest');
    assert.equal(lookup.init.credentials, 'include');
  });

  test("when a team admin's server answers __connect with its own connect page, then the window closes unvisited and nothing is linked", async () => {
    server('https://evil.example/standalone/connect?l=phish', { json: serviceBotRecord(ROOT) });
    await clickConnect();
    assert.match((await screen.findByRole('alert')).textContent!, NOT_OPENED);
    assert.equal(popup.location.href, 'about:blank');
    assert.equal(popup.closed, true);
    assert.equal(screen.queryByRole('link'), null);
  });

  for (const [what, bot] of [
    ['the bot cannot be read (404)', { status: 404, json: { id: 'app.user.missing_account.const' } }],
    ['the bot has no recorded address', { json: serviceBotRecord(ROOT, { props: {} }) }],
    ['the record is a person who took the name, not a bot', { json: serviceBotRecord(ROOT, { is_bot: false }) }],
    ['Mattermost cannot be reached for it', 'network-error'],
  ] as const) {
    test(`when ${what}, then even the service's own link is not opened and the panel asks an admin to run setup`, async () => {
      server(`${ROOT}/standalone/connect?l=one-time`, bot as Answer);
      await clickConnect();
      const alert = await screen.findByRole('alert');
      assert.ok(alert.textContent?.includes(SERVICE_ADDRESS_UNKNOWN), alert.textContent ?? '');
      assert.equal(popup.location.href, 'about:blank');
      assert.equal(popup.closed, true);
    });
  }
});
