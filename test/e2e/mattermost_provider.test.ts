/**
 * Mattermost as the remote provider, through our mattermost preset, on the
 * second real server: a trusted confidential client (client_secret_post,
 * refresh with rotation), a public client (PKCE, no refresh token), and a
 * client made by dynamic registration, which is never trusted: its consent is
 * given through the server's API (POST /oauth/authorize with the user's
 * session), since these builds have no web client to show the consent page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectInBrowser } from '../support/browser.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { startConnect } from '../scenarios/steps.js';
import { startWorld, type World } from '../scenarios/world.js';
import * as mm from './harness/mm_api.js';
import { providerRedirectUri } from '../../src/hosts/apps/calls/redirect_uri.js';
import { readWorldInfo, type E2EWorldInfo } from './harness/world_info.js';

let world: World;
let info: E2EWorldInfo;
let providerAdmin: mm.Session;
let pat: mm.Session;
let user: ScenarioUser;

async function addProvider(id: string, client: { id: string; client_secret?: string }): Promise<void> {
  const answer = await runCommand(world.backend, world.backend.admin, ['provider', 'add'], {
    preset: 'mattermost',
    id,
    display_name: `Mattermost ${id}`,
    base_url: info.provider.siteUrl,
    client_id: client.id,
    client_secret: client.client_secret ?? '',
    auth: client.client_secret ? 'client_secret_post' : 'none',
  });
  assert.equal(answer.type, 'ok', textOf(answer));
}

/** The browser is logged in to both servers: Mattermost (for the plugin's state) and the provider. */
async function connectAtProvider(id: string) {
  const url = await startConnect(world, user, id);
  const cookies = [...world.backend.browserCookies(user), ...Object.entries(pat.cookies).map(([name, value]) => ({ name, value, url: info.provider.siteUrl }))];
  return connectInBrowser(world.browser, cookies, url, 'unused', info.provider.siteUrl);
}

const oauthSessions = async () =>
  (await pat.client.json<Array<{ is_oauth: boolean }>>('GET', `/api/v4/users/${pat.user.id}/sessions`)).filter((s) => s.is_oauth).length;

describe('Mattermost as the remote provider (real servers)', () => {
  before(async () => {
    const found = readWorldInfo();
    if (!found) throw new Error('run this through `npm run test:e2e`, which starts the servers');
    info = found;
    world = await startWorld();
    user = await world.backend.createUser(`mmuser${Date.now() % 100000}`);
    providerAdmin = await mm.login(info.provider.directUrl, info.provider.adminUsername);
    await mm.createUser(providerAdmin.client, 'pat').catch(() => undefined);
    pat = await mm.login(info.provider.directUrl, 'pat');
  });
  after(() => world?.close());

  it('when a trusted confidential client is registered, then the user connects in the browser and whoami shows the Mattermost identity', async () => {
    const client = await mm.createOAuthApp(providerAdmin.client, {
      name: 'OAuth2 Connect e2e',
      homepage: 'https://example.test',
      callback_urls: [providerRedirectUri(world.completeUrl, 'mmconf')],
      is_trusted: true,
    });
    await addProvider('mmconf', client);
    const result = await connectAtProvider('mmconf');
    assert.match(result.text, /Completed connecting/);
    assert.match((await world.backend.directMessages(user)).at(-1) ?? '', /\*\*pat\*\*/);
    const who = textOf(await runCommand(world.backend, user, ['whoami'], { provider: 'mmconf' }));
    assert.match(who, new RegExp(`you are \\*\\*pat\\*\\* \\(id \`${pat.user.id}\`\\)`));
  });

  it('when the access token has expired, then it is refreshed with rotation and keeps working', async () => {
    world.clock.offsetMs = 31 * 24 * 3600 * 1000;
    try {
      assert.match(textOf(await runCommand(world.backend, user, ['whoami'], { provider: 'mmconf' })), /\*\*pat\*\*/);
      assert.match(textOf(await runCommand(world.backend, user, ['status'])), /connected as \*\*pat\*\*.*token expires in (29|30) days/);
    } finally {
      world.clock.offsetMs = 0;
    }
    assert.match(textOf(await runCommand(world.backend, user, ['whoami'], { provider: 'mmconf' })), /\*\*pat\*\*/);
  });

  it('when the user disconnects, then the OAuth session is gone at the provider', async () => {
    assert.ok((await oauthSessions()) >= 1);
    const answer = textOf(await runCommand(world.backend, user, ['disconnect'], { provider: 'mmconf' }));
    assert.match(answer, /revoked at Mattermost mmconf/);
    assert.equal(await oauthSessions(), 0);
  });

  it('when the client is public, then PKCE alone connects and no refresh token is kept', async () => {
    const client = await mm.createOAuthApp(providerAdmin.client, {
      name: 'OAuth2 Connect public',
      homepage: 'https://example.test',
      callback_urls: [providerRedirectUri(world.completeUrl, 'mmpub')],
      is_trusted: true,
      is_public: true,
    } as never);
    assert.ok(!client.client_secret, 'a public client has no secret');
    await addProvider('mmpub', client);
    assert.match((await connectAtProvider('mmpub')).text, /Completed connecting/);
    assert.match(textOf(await runCommand(world.backend, user, ['whoami'], { provider: 'mmpub' })), /\*\*pat\*\*/);
    world.clock.offsetMs = 31 * 24 * 3600 * 1000;
    try {
      const expired = textOf(await runCommand(world.backend, user, ['whoami'], { provider: 'mmpub' }));
      assert.match(expired, /connection no longer works.*Reconnect your Mattermost mmpub account/);
    } finally {
      world.clock.offsetMs = 0;
    }
  });

  it('when an admin registers by dynamic registration, then the new client works once the user consents through the API', async () => {
    const registered = await runCommand(world.backend, world.backend.admin, ['provider', 'register'], {
      preset: 'mattermost',
      id: 'mmdcr',
      display_name: 'Mattermost DCR',
      base_url: info.provider.siteUrl,
      auth: 'client_secret_post',
    });
    assert.equal(registered.type, 'ok', textOf(registered));
    assert.match(textOf(registered), /confidential/);
    const connectUrl = await startConnect(world, user, 'mmdcr');
    const cookie = world.backend
      .browserCookies(user)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const toProvider = await fetch(connectUrl, { headers: { cookie }, redirect: 'manual' });
    const authorize = new URL(toProvider.headers.get('location')!);
    const consent = await pat.client.json<{ redirect: string }>('POST', '/oauth/authorize', Object.fromEntries(authorize.searchParams));
    const back = await fetch(consent.redirect.replace(info.siteUrl, info.directUrl), { headers: { cookie }, redirect: 'manual' });
    assert.equal(back.status, 200, await back.text());
    assert.match(textOf(await runCommand(world.backend, user, ['whoami'], { provider: 'mmdcr' })), /\*\*pat\*\*/);
  });
});
