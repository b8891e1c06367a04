/** A fake Mattermost with an admin, two teams and SiteURL set, plus setup runners. */
import { runSetup, type SetupMode } from '../../../src/hosts/standalone/setup/setup.js';
import { startFakeMattermost, type FakeMattermost } from '../../support/fake_mattermost_rest.js';
import { MemoryInstallationStore } from '../../support/memory_installation_store.js';

export const ROOT = 'http://127.0.0.1:4555';

export interface SetupWorld {
  mm: FakeMattermost;
  store: MemoryInstallationStore;
  adminToken: string;
  teams: string[];
  run(mode?: SetupMode, rootUrl?: string): ReturnType<typeof runSetup>;
  close(): Promise<void>;
}

export async function setupWorld(): Promise<SetupWorld> {
  const mm = await startFakeMattermost();
  mm.state.service.SiteURL = mm.url;
  const admin = mm.state.addUser('admin', 'system_user system_admin');
  const adminToken = mm.state.tokenFor(admin.id);
  const teams = [mm.state.addTeam('red'), mm.state.addTeam('blue')];
  const store = new MemoryInstallationStore();
  const world: SetupWorld = {
    mm,
    store,
    adminToken,
    teams,
    run: (mode = 'apply', rootUrl = ROOT) => runSetup({ adminToken: world.adminToken, mattermostUrl: mm.url, rootUrl, store, mode }),
    close: () => mm.close(),
  };
  return world;
}

/** Every secret a report or log line must not contain. */
export function secretsOf(w: SetupWorld): string[] {
  const s = w.mm.state;
  return [w.adminToken, ...[...s.tokens.keys()], ...[...s.oauthApps.values()].map((a) => a.client_secret), ...[...s.commands.values()].map((c) => c.token)];
}
