// One call that sets up what most E2E tests need: the two servers, an admin
// and a regular user on each, a team, the Apps plugin running, and a test App
// listed and installed with a JWT secret. Teardown undoes all of it.
import { ensureBuilt, type Built } from './build.js';
import * as mm from './mm_api.js';
import { log } from './run.js';
import { startServers, type MattermostServer } from './servers.js';
import { startTestApp, type TestApp } from './test_app.js';

export interface World {
  built: Built;
  apps: MattermostServer;
  provider: MattermostServer;
  admin: mm.Session;
  alice: mm.Session;
  providerAdmin: mm.Session;
  providerAlice: mm.Session;
  team: { id: string; name: string };
  channelId: string;
  app: TestApp;
  installResponse: { type: string; text?: string };
  teardown(): Promise<void>;
}

export async function setupWorld(manifest: Record<string, unknown>, jwtSecret: string): Promise<World> {
  const built = await ensureBuilt();
  const t0 = Date.now();
  const servers = await startServers(built);
  const { apps, provider } = servers;
  let app: TestApp | undefined;
  try {
    log('creating users and a team');
    // Node clients use directUrl; SiteURL (url) is for the browser.
    await mm.createUser(apps.directUrl, 'admin');
    await mm.createUser(provider.directUrl, 'admin');
    const admin = await mm.login(apps.directUrl, 'admin');
    const providerAdmin = await mm.login(provider.directUrl, 'admin');
    const aliceUser = await mm.createUser(admin.client, 'alice');
    await mm.createUser(providerAdmin.client, 'alice');
    const alice = await mm.login(apps.directUrl, 'alice');
    const providerAlice = await mm.login(provider.directUrl, 'alice');
    const team = await mm.createTeam(admin.client, 'e2e');
    await mm.addToTeam(admin.client, team.id, aliceUser.id);
    const channel = await admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`);

    log('uploading and enabling the Apps plugin');
    const pluginId = await mm.uploadAndEnablePlugin(admin.client, built.appsPluginBundle);
    await mm.waitPluginActive(admin.client, pluginId);

    log('starting, listing and installing the test App');
    app = await startTestApp(manifest);
    await mm.listApp(admin.client, app.manifest);
    const installResponse = await mm.installAppWithConsent(admin.client, String(manifest.app_id), jwtSecret);
    if (installResponse.type !== 'ok') throw new Error(`install failed: ${JSON.stringify(installResponse)}`);
    log(`world ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    const started = app;
    return {
      built,
      apps,
      provider,
      admin,
      alice,
      providerAdmin,
      providerAlice,
      team,
      channelId: channel.id,
      app: started,
      installResponse,
      async teardown() {
        await started.close();
        await servers.stop();
      },
    };
  } catch (err) {
    await app?.close();
    await servers.stop();
    throw err;
  }
}
