/**
 * `npm run test:e2e`: brings up three real Mattermost servers (one hosting the
 * Apps plugin and our webapp plugin, one as a remote OAuth2 provider, one
 * without the Apps plugin for the standalone host), runs the scenario suite
 * against them (the same scenarios as on the fakes: both hosts with the
 * standalone host on SQLite, then the standalone host again on PostgreSQL),
 * then the E2E tests under test/e2e, and tears everything down (processes by
 * PID, databases dropped). A failure names the step and shows the server log tail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type Built } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { log, tail } from './harness/run.js';
import { startServers, type MattermostServer } from './harness/servers.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';
import type { E2EWorldInfo, StandaloneServerInfo } from './harness/world_info.js';

function run(step: string, args: string[], env: NodeJS.ProcessEnv): void {
  log(`${step}: node ${args.join(' ')}`);
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${step} failed (exit ${result.status ?? result.signal})`);
}

function webappBundle(): string {
  run('building the webapp plugin bundle', ['scripts/dist.mjs'], {});
  const file = readdirSync('dist').find((f) => f.startsWith('com.github.oauth2-connect.webapp') && f.endsWith('.tar.gz'));
  if (!file) throw new Error('npm run dist produced no bundle in dist/');
  return join('dist', file);
}

async function prepare(apps: MattermostServer, provider: MattermostServer, appsPluginBundle: string): Promise<E2EWorldInfo> {
  log('creating the admins, a team and a channel');
  await mm.createUser(apps.directUrl, 'admin');
  await mm.createUser(provider.directUrl, 'admin');
  const admin = await mm.login(apps.directUrl, 'admin');
  const team = await mm.createTeam(admin.client, 'e2e');
  const channel = await admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`);
  log('uploading and enabling the Apps plugin');
  await mm.waitPluginActive(admin.client, await mm.uploadAndEnablePlugin(admin.client, appsPluginBundle));
  log('uploading and enabling our webapp plugin');
  await mm.waitPluginActive(admin.client, await mm.uploadAndEnablePlugin(admin.client, webappBundle()));
  return {
    siteUrl: apps.url,
    directUrl: apps.directUrl,
    adminUsername: 'admin',
    teamId: team.id,
    channelId: channel.id,
    provider: { siteUrl: provider.url, directUrl: provider.directUrl, adminUsername: 'admin' },
  };
}

async function describeStandalone(world: StandaloneWorld): Promise<StandaloneServerInfo> {
  const first = world.teams[0]!;
  const channel = await world.admin.client.json<{ id: string }>('GET', `/api/v4/teams/${first.id}/channels/name/town-square`);
  return {
    siteUrl: world.server.url,
    directUrl: world.server.directUrl,
    adminUsername: world.admin.user.username,
    teamIds: world.teams.map((t) => t.id),
    channelId: channel.id,
  };
}

/** The three servers, started side by side; when one fails, those that started are stopped. */
async function startAll(built: Built): Promise<{ servers: Awaited<ReturnType<typeof startServers>>; standalone: StandaloneWorld }> {
  const [servers, standalone] = await Promise.allSettled([startServers(built), startStandaloneWorld(built)]);
  if (servers.status === 'fulfilled' && standalone.status === 'fulfilled') return { servers: servers.value, standalone: standalone.value };
  if (servers.status === 'fulfilled') await servers.value.stop();
  if (standalone.status === 'fulfilled') await standalone.value.stop();
  throw servers.status === 'rejected' ? servers.reason : (standalone as PromiseRejectedResult).reason;
}

/** `E2E_ONLY=file[,file]`: the servers as usual, then only those test files (scenario or E2E), for working on one. */
const only = (process.env.E2E_ONLY ?? '').split(',').filter(Boolean);

async function main(): Promise<void> {
  const started = Date.now();
  let step = 'building';
  const built = await ensureBuilt();
  step = 'starting the servers';
  const { servers, standalone } = await startAll(built);
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-connect-e2e-world-'));
  try {
    step = 'preparing the servers';
    const info = { ...(await prepare(servers.apps, servers.provider, built.appsPluginBundle)), standalone: await describeStandalone(standalone) };
    const worldFile = join(dir, 'world.json');
    writeFileSync(worldFile, JSON.stringify(info, null, 2));
    const env = { SCENARIO_BACKEND: 'real', E2E_WORLD_FILE: worldFile };
    if (only.length > 0) {
      step = `only ${only.join(' ')}`;
      run(step, ['--import', 'tsx', '--test', '--test-concurrency=1', ...only], {
        ...env,
        NODE_ENV: 'test',
        SCENARIO_HOSTS: process.env.SCENARIO_HOSTS ?? 'apps,standalone',
      });
    } else {
      step = 'the scenario suite on the real servers (apps host; standalone host on SQLite)';
      run(step, ['scripts/run_tests.mjs', 'scenarios'], { ...env, SCENARIO_HOSTS: 'apps,standalone', SCENARIO_STORAGE: 'sqlite' });
      step = 'the scenario suite on the real server (standalone host on PostgreSQL)';
      run(step, ['scripts/run_tests.mjs', 'scenarios'], { ...env, SCENARIO_HOSTS: 'standalone', SCENARIO_STORAGE: 'postgres' });
      step = 'the E2E tests';
      run(step, ['scripts/run_tests.mjs', 'e2e'], env);
    }
    log(`all E2E steps passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  } catch (err) {
    console.error(`[e2e] FAILED at step "${step}": ${(err as Error).message}`);
    for (const s of [servers.apps, servers.provider, standalone.server]) console.error(`--- ${s.name} server log (${s.logFile}):\n${tail(s.logFile, 30)}`);
    process.exitCode = 1;
  } finally {
    await Promise.all([servers.stop(), standalone.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
