// Copying users to the standalone host from the bindings call, on a real
// Mattermost with the real Apps plugin: the plugin fills the bindings call's
// expand from the manifest it stored at install, so an App installed with a
// manifest whose bindings call does not ask for the user's token copies no one
// from it; installed again (`/apps install http <manifest URL>` over the
// installed App: the listing and the consent), it does, with the users'
// connections on the Apps host kept. After a restart, a user found copied is
// not copied again. The server is this file's own.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { buildManifest } from '../../src/hosts/apps/protocol/manifest.js';
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

describe('copying users from the bindings call on a real Mattermost', { timeout: 10 * 60_000 }, () => {
  let server: MattermostServer;
  let admin: mm.Session;
  let backend: RealBackend;
  let provider: StartedOidcProvider;
  let scratch: Scratch;
  let carol: ScenarioUser;
  const mounted: { service?: RunningService } = {};
  /** While set, /manifest.json is served as an earlier release had it: a bindings call without the user's token. */
  let earlierManifest = true;
  const http = createServer((req, res) => {
    if (earlierManifest && req.method === 'GET' && req.url === '/manifest.json') return void servedEarlierManifest(res);
    mounted.service?.app(req, res);
  });
  let root = '';
  const key = randomBytes(32).toString('base64');
  const jwtSecret = randomBytes(32).toString('base64url');
  const logger = createMemoryLogger({ secrets: [key, jwtSecret] });

  function servedEarlierManifest(res: ServerResponse): void {
    const manifest = buildManifest(root, true) as { bindings: { expand: Record<string, string> } };
    const { acting_user_access_token: _token, ...expand } = manifest.bindings.expand;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ...manifest, bindings: { ...manifest.bindings, expand } }));
  }

  const start = () =>
    startService(
      loadConfig({
        APP_HOSTS: 'apps,standalone',
        APP_ROOT_URL: root,
        APP_MATTERMOST_URL: server.url,
        APP_ENCRYPTION_KEY: key,
        APP_JWT_SECRET: jwtSecret,
        APP_ALLOW_PRIVATE_NETWORK: 'true',
        APP_DATA_DIR: dirname((scratch.settings as { file: string }).file),
      }),
      { logger },
    );
  const settled = () => mounted.service!.deps.userCopies!.idle();
  const copied = async (user: ScenarioUser) => (await mounted.service!.standalone!.repositories.connections.get(user.id, 'idp'))?.connection.label;
  const loadBindings = async (user: ScenarioUser) => {
    assert.ok((await backend.bindings(user)).length > 0);
    await settled();
  };

  before(async () => {
    const built = await ensureBuilt();
    server = await startMattermost(built, 'v12bind');
    await mm.createUser(server.directUrl, 'admin');
    admin = await mm.login(server.directUrl, 'admin');
    await mm.ensureRolePermission(admin.client, 'system_admin', 'manage_oauth');
    const team = await mm.createTeam(admin.client, 'bindings');
    const channelId = (await admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`)).id;
    await mm.waitPluginActive(admin.client, await mm.uploadAndEnablePlugin(admin.client, built.appsPluginBundle));
    backend = await RealBackend.on({ siteUrl: server.url, directUrl: server.directUrl, adminUsername: 'admin', teamId: team.id, channelId });

    scratch = await createScratch('sqlite');
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const appsComplete = `${server.url}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;
    provider = await startOidcProvider({ redirectUris: [...providerRedirects(appsComplete), ...TEST_PROVIDER_IDS.map((id) => completeUrl(root, id))] });
    mounted.service = await start();
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
    carol = await backend.createUser(`carol${Date.now() % 100000}`);
    const done = await (await connectUntilRedirect(world, carol, 'carol-at-idp')).complete();
    assert.equal(done.status, 200, done.text);
    assert.match(textOf(await runCommand(backend, backend.admin, ['migrate', 'providers'])), /`idp`\): copied\./);
    assert.match(textOf(await runCommand(backend, backend.admin, ['migrate', 'users'])), /User copying is now on/);
    await settled();
  });
  after(async () => {
    await mounted.service?.close();
    http.closeAllConnections();
    http.close();
    await provider?.close();
    await scratch?.dispose();
    await server?.stop();
  });

  it('when the App was installed with a bindings call without the user token, then loading bindings copies no one', async () => {
    await loadBindings(carol);
    assert.equal(await copied(carol), undefined);
  });

  it('when the admin installs the App again from its manifest URL, then loading bindings copies the user, whose connection the App kept', async () => {
    earlierManifest = false;
    await backend.installApp(`${root}/manifest.json`, jwtSecret);
    await loadBindings(carol);
    assert.equal(await copied(carol), 'carol-at-idp');
  });

  it('after a restart, a user found copied is not copied again by their bindings', async () => {
    await mounted.service!.close();
    mounted.service = await start();
    const before = logger.lines.filter((l) => l.includes('apps move: user copied')).length;
    await loadBindings(carol);
    await loadBindings(carol);
    assert.equal(logger.lines.filter((l) => l.includes('apps move: user copied')).length, before);
    for (const secret of [key, jwtSecret, provider.clients.basic.client_secret!]) assert.ok(!logger.lines.some((l) => l.includes(secret)));
  });
});
