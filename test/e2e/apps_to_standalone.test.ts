// The upgrade from the Apps host to the standalone host on a real Mattermost
// with the real Apps plugin: a provider and a connected user on the Apps host
// are copied while both hosts run in one service; then the Apps plugin is
// disabled on that same server (as v12 does), the service restarts with the
// standalone host alone on the same storage, and the copied user's whoami
// works without reconnecting while a user who was never copied is told to
// reconnect. The server is this file's own: it ends without the Apps plugin.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { completeUrl } from '../../src/hosts/standalone/providers.js';
import { runSetup } from '../../src/hosts/standalone/setup/setup.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { RealBackend } from '../scenarios/backends/real.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { connectUntilRedirect, registerTestProvider } from '../scenarios/steps.js';
import type { World } from '../scenarios/world.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { providerRedirects, TEST_PROVIDER_IDS } from '../support/redirects.js';
import { createScratch, type Scratch } from '../support/standalone_db.js';
import { ensureBuilt } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { startMattermost, type MattermostServer } from './harness/servers.js';

describe('from the Apps host to the standalone host on a real Mattermost', { timeout: 10 * 60_000 }, () => {
  let server: MattermostServer;
  let admin: mm.Session;
  let backend: RealBackend;
  let provider: StartedOidcProvider;
  let scratch: Scratch;
  let alice: ScenarioUser;
  let bob: ScenarioUser;
  let teamId = '';
  let channelId = '';
  const mounted: { service?: RunningService } = {};
  const http = createServer((req, res) => mounted.service?.app(req, res));
  let root = '';
  const key = randomBytes(32).toString('base64');
  const jwtSecret = randomBytes(32).toString('base64url');
  const logger = createMemoryLogger({ secrets: [key, jwtSecret] });

  const start = (hosts: string) =>
    startService(
      loadConfig({
        APP_HOSTS: hosts,
        APP_ROOT_URL: root,
        APP_MATTERMOST_URL: server.url,
        APP_ENCRYPTION_KEY: key,
        APP_JWT_SECRET: jwtSecret,
        APP_ALLOW_PRIVATE_NETWORK: 'true',
        APP_DATA_DIR: dirname((scratch.settings as { file: string }).file),
      }),
      { logger },
    );
  /** `/oauth2 <text>` typed by the user, once the Apps plugin is off: Mattermost runs the team's custom command. */
  const typed = async (user: ScenarioUser, text: string) => {
    const session = await mm.login(server.directUrl, user.username);
    const answer = await session.client.json<{ text?: string }>('POST', '/api/v4/commands/execute', {
      command: `/oauth2 ${text}`,
      channel_id: channelId,
      team_id: teamId,
    });
    return answer.text ?? '';
  };

  before(async () => {
    const built = await ensureBuilt();
    server = await startMattermost(built, 'v12move');
    await mm.createUser(server.directUrl, 'admin');
    admin = await mm.login(server.directUrl, 'admin');
    await mm.ensureRolePermission(admin.client, 'system_admin', 'manage_oauth');
    const team = await mm.createTeam(admin.client, 'upgrade');
    teamId = team.id;
    channelId = (await admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`)).id;
    await mm.waitPluginActive(admin.client, await mm.uploadAndEnablePlugin(admin.client, built.appsPluginBundle));
    backend = await RealBackend.on({ siteUrl: server.url, directUrl: server.directUrl, adminUsername: 'admin', teamId, channelId });

    scratch = await createScratch('sqlite');
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const appsComplete = `${server.url}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;
    provider = await startOidcProvider({ redirectUris: [...providerRedirects(appsComplete), ...TEST_PROVIDER_IDS.map((id) => completeUrl(root, id))] });
    mounted.service = await start('apps,standalone');
    await backend.installApp(`${root}/manifest.json`, jwtSecret);
    const setup = await runSetup({
      adminToken: admin.token,
      mattermostUrl: server.url,
      rootUrl: root,
      store: mounted.service.standalone!.repositories.installation,
      mode: 'apply',
    });
    assert.deepEqual(setup.problems, [], setup.format());

    const world = { backend, provider, completeUrl: appsComplete } as unknown as World;
    assert.equal((await registerTestProvider(world)).type, 'ok');
    alice = await backend.createUser(`alice${Date.now() % 100000}`);
    bob = await backend.createUser(`bob${Date.now() % 100000}`);
    for (const [user, login] of [
      [alice, 'alice-at-idp'],
      [bob, 'bob-at-idp'],
    ] as const) {
      const done = await (await connectUntilRedirect(world, user, login)).complete();
      assert.equal(done.status, 200, done.text);
    }
  });
  after(async () => {
    await mounted.service?.close();
    http.closeAllConnections();
    http.close();
    await provider?.close();
    await scratch?.dispose();
    await server?.stop();
  });

  it('when the admin copies the providers and turns on user copying, and alice uses the App, then her connection is copied', async () => {
    assert.match(textOf(await runCommand(backend, backend.admin, ['migrate', 'providers'])), /`idp`\): copied\./);
    assert.match(textOf(await runCommand(backend, backend.admin, ['migrate', 'users'])), /User copying is now on/);
    assert.match(textOf(await runCommand(backend, alice, ['status'])), /connected as \*\*alice-at-idp\*\*/);
    await mounted.service!.deps.userCopies!.idle();
    assert.match(textOf(await runCommand(backend, backend.admin, ['migrate', 'status'])), /Users copied: \*\*1\*\* of 2/);
  });

  it('when the Apps plugin is disabled and the standalone host serves alone, then alice is connected without reconnecting and bob is told to reconnect', async () => {
    await admin.client.json('POST', '/api/v4/plugins/com.mattermost.apps/disable');
    const before = mounted.service!;
    delete mounted.service;
    await before.close();
    mounted.service = await start('standalone');
    assert.match(await typed(alice, 'whoami idp'), /you are \*\*alice-at-idp\*\*/);
    assert.match(await typed(bob, 'status'), /connection from before the Mattermost upgrade was not carried over: reconnect with `\/oauth2 connect idp`/);
    for (const secret of [key, jwtSecret, provider.clients.basic.client_secret!]) assert.ok(!logger.lines.some((l) => l.includes(secret)));
  });
});
