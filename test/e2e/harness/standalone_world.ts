// A real Mattermost for the standalone host: no Apps plugin, AppsEnabled off,
// the settings `oauth2-connect setup` checks, an admin (whose session token setup
// uses), alice, and two teams. manage_oauth is granted to system_admin as for
// the provider tests (this build gives it to no role; see ../README.md).
import type { Built } from './build.js';
import * as mm from './mm_api.js';
import { log } from './run.js';
import { startMattermost, type MattermostServer } from './servers.js';

export interface StandaloneWorld {
  server: MattermostServer;
  admin: mm.Session;
  alice: mm.Session;
  teams: Array<{ id: string; name: string }>;
  stop(): Promise<void>;
}

export async function startStandaloneWorld(built: Built, teamNames = ['alpha', 'beta']): Promise<StandaloneWorld> {
  const server = await startMattermost(built, 'standalone', { standalone: true });
  try {
    await mm.createUser(server.directUrl, 'admin');
    const admin = await mm.login(server.directUrl, 'admin');
    const aliceUser = await mm.createUser(admin.client, 'alice');
    const alice = await mm.login(server.directUrl, 'alice');
    await mm.ensureRolePermission(admin.client, 'system_admin', 'manage_oauth');
    const teams = [];
    for (const name of teamNames) {
      const team = await mm.createTeam(admin.client, name);
      await mm.addToTeam(admin.client, team.id, aliceUser.id);
      teams.push(team);
    }
    log(`standalone world ready: ${server.url}, teams ${teamNames.join(', ')}`);
    return { server, admin, alice, teams, stop: () => server.stop() };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
