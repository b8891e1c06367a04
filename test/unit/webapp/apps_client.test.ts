import './setup.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRequire } from 'node:module';
import type Client4Class from '@mattermost/client/lib/client4';
import { callApp, httpErrorMessage, Messages, toCallResponse } from '../../../webapp/client/apps_client.js';
import { csrfTokenFromCookie, sessionPostOptions } from '../../../webapp/client/session_fetch.js';
import { fakeCallEndpoint, SITE_URL } from './helpers.js';

// A CommonJS module whose class is exports.default, which an ESM default import
// does not unwrap.
const { default: Client4 } = createRequire(import.meta.url)('@mattermost/client/lib/client4') as {
  default: typeof Client4Class;
};

const origin = { siteURL: `${SITE_URL}/`, location: '/channel_header', channelId: 'c1', teamId: 't1' };

describe('session headers', () => {
  test('when the MMCSRF cookie is set, then the headers match Client4.getOptions for a POST', () => {
    document.cookie = 'MMUSERID=u1';
    document.cookie = 'MMCSRF=csrf-token-123';
    const body = JSON.stringify({ a: 1 });
    const theirs = new Client4().getOptions({ method: 'post', body });
    const ours = sessionPostOptions(body);
    assert.deepEqual(ours.headers, theirs.headers);
    assert.equal(ours.credentials, theirs.credentials);
    assert.equal(ours.method, 'post');
  });

  test('when no MMCSRF cookie is set, then no X-CSRF-Token header is sent', () => {
    assert.equal(csrfTokenFromCookie('MMUSERID=u1; other=x'), '');
    const headers = sessionPostOptions('{}', 'MMUSERID=u1').headers as Record<string, string>;
    assert.equal(headers['X-CSRF-Token'], undefined);
    assert.equal(headers['X-Requested-With'], 'XMLHttpRequest');
  });
});

describe('callApp', () => {
  test('when called, then it posts to the call endpoint under SiteURL with the session', async () => {
    const endpoint = fakeCallEndpoint(() => ({ json: { type: 'ok', text: 'hi' } }));
    const res = await callApp(origin, { path: '/x', expand: { acting_user: 'summary' }, state: { s: 1 } }, { a: 'b' }, 'a');
    assert.deepEqual(res, { type: 'ok', text: 'hi' });
    const [call] = endpoint.calls;
    assert.equal(call?.url, `${SITE_URL}/plugins/com.mattermost.apps/api/v1/call`);
    assert.equal(call?.init.credentials, 'include');
    assert.deepEqual(call?.body, {
      path: '/x',
      expand: { acting_user: 'summary' },
      state: { s: 1 },
      values: { a: 'b' },
      selected_field: 'a',
      context: { app_id: 'oauth2-connect', location: '/channel_header', channel_id: 'c1', team_id: 't1', user_agent: 'webapp' },
    });
  });

  const cases: Array<[string, Parameters<typeof fakeCallEndpoint>[0], string]> = [
    ['HTTP 404', () => ({ status: 404, text: 'Not found' }), Messages.notInstalled],
    ['HTTP 401', () => ({ status: 401, text: '{}' }), Messages.sessionExpired],
    ['HTTP 500 with a JSON message', () => ({ status: 500, json: { message: 'boom' } }), 'The Apps plugin answered HTTP 500: boom'],
    ['a network failure', () => 'network-error', Messages.unreachable],
    ['a body that is not JSON', () => ({ text: '<html>' }), Messages.badResponse],
  ];
  for (const [what, answer, text] of cases) {
    test(`when the endpoint gives ${what}, then the answer is an error with a clear text`, async () => {
      fakeCallEndpoint(answer);
      assert.deepEqual(await callApp(origin, { path: '/x' }), { type: 'error', text });
    });
  }

  test('when an answer has no type, then it counts as ok (as the Apps plugin treats it)', () => {
    assert.deepEqual(toCallResponse({ data: 1 }), { type: 'ok', data: 1 });
    assert.equal(toCallResponse({ type: 'call' }).type, 'error');
    assert.equal(toCallResponse(null).type, 'error');
  });

  test('when an error body is long, then the text is cut', () => {
    assert.ok(httpErrorMessage(502, 'x'.repeat(500)).length < 260);
  });
});
