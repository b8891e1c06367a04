/** A fake Mattermost with an admin, two teams and SiteURL set, plus setup runners. */
import type { BotRole } from '../../../src/hosts/standalone/ports.js';
import type { SetupReport } from '../../../src/hosts/standalone/setup/report.js';
import { runSetup, type SetupMode } from '../../../src/hosts/standalone/setup/setup.js';
import { runSetupCli } from '../../../src/hosts/standalone/setup/setup_cli.js';
import { startTeamSync } from '../../../src/hosts/standalone/setup/team_sync_loop.js';
import { createMattermostClient } from '../../../src/hosts/standalone/client4.js';
import { startFakeMattermost, type FakeMattermost } from '../../support/fake_mattermost_rest.js';
import { MemoryInstallationStore } from '../../support/memory_installation_store.js';
import { MemoryAuditStore } from '../../support/memory_audit_store.js';
import { createAuditTrail } from '../../../src/core/audit.js';
import { createMemoryLogger } from '../../../src/log/logger.js';

export const ROOT = 'http://127.0.0.1:4555';

export interface RunOptions {
  rootUrl?: string;
  botRole?: BotRole;
  force?: boolean;
  /** Another storage than the world's own. */
  store?: MemoryInstallationStore;
}

export interface SetupWorld {
  mm: FakeMattermost;
  store: MemoryInstallationStore;
  /** The audit entries setup and team sync wrote. */
  audit: MemoryAuditStore;
  adminToken: string;
  teams: string[];
  run(mode?: SetupMode, options?: RunOptions): ReturnType<typeof runSetup>;
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
    audit: new MemoryAuditStore(),
    adminToken,
    teams,
    run: (mode = 'apply', { rootUrl = ROOT, botRole, force, store: other }: RunOptions = {}) =>
      runSetup({
        adminToken: world.adminToken,
        mattermostUrl: mm.url,
        rootUrl,
        store: other ?? store,
        storage: other ? 'the other store' : 'the world store',
        mode,
        botRole,
        force,
      }),
    close: () => mm.close(),
  };
  return world;
}

/** Every secret a report or log line must not contain. */
export function secretsOf(w: SetupWorld): string[] {
  const s = w.mm.state;
  return [w.adminToken, ...[...s.tokens.keys()], ...[...s.oauthApps.values()].map((a) => a.client_secret), ...[...s.commands.values()].map((c) => c.token)];
}

/** A person who created a team, so its team admin, with a Client4 for their own token. */
export function teamAdmin(w: SetupWorld, username = 'bob', teamName = 'bobs') {
  const user = w.mm.state.addUser(username);
  const team = w.mm.state.addTeam(teamName, user.id);
  const token = w.mm.state.tokenFor(user.id);
  return { user, team, token, client: createMattermostClient(w.mm.url, token) };
}

export interface LoopRun {
  report: SetupReport | undefined;
  /** "LEVEL message {fields}" */
  lines: string[];
}

/** One run of the service's team sync loop (startTeamSync), with what it logged. */
export async function loopOnce(w: SetupWorld): Promise<LoopRun> {
  const lines: string[] = [];
  const logger = {
    info: (m: string, f?: object) => void lines.push(`INFO ${m} ${JSON.stringify(f ?? {})}`),
    warn: (m: string, f?: object) => void lines.push(`WARN ${m} ${JSON.stringify(f ?? {})}`),
  };
  const audit = createAuditTrail({ logger: createMemoryLogger(), now: Date.now, store: w.audit });
  const loop = startTeamSync({ store: w.store, mattermostUrl: w.mm.url, rootUrl: ROOT, intervalMs: 60_000, logger, audit });
  try {
    // The loop starts a run at once; runNow joins it.
    const report = await loop.runNow();
    return { report, lines };
  } finally {
    loop.stop();
  }
}

/** `oauth2-connect setup` as an admin runs it: its exit code and what it printed. */
export async function cli(
  w: SetupWorld,
  args: string[],
  env: Record<string, string> = {},
  askToken = async (): Promise<string | undefined> => undefined,
  store: MemoryInstallationStore = w.store,
) {
  const out: string[] = [];
  const code = await runSetupCli(args, {
    env: {
      APP_MATTERMOST_URL: w.mm.url,
      APP_ROOT_URL: ROOT,
      APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      APP_JWT_SECRET: 'x'.repeat(32),
      MM_ADMIN_TOKEN: w.adminToken,
      ...env,
    },
    openStore: async () => ({ store, audit: w.audit, close: async () => undefined }),
    askToken,
    print: (t) => out.push(t),
  });
  return { code, out: out.join('\n') };
}
