/**
 * `npm run test:e2e`: brings up two real Mattermost servers (one hosting the
 * Apps plugin and our webapp plugin, one as a remote OAuth2 provider), runs
 * the scenario suite against them (the same scenarios as on the fake), then
 * the E2E tests under test/e2e, and tears everything down (processes by PID,
 * databases dropped). A failure names the step and shows the server log tail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { log, tail } from './harness/run.js';
import { startServers, type MattermostServer } from './harness/servers.js';
import type { E2EWorldInfo } from './harness/world_info.js';

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

async function main(): Promise<void> {
  const started = Date.now();
  let step = 'building';
  const built = await ensureBuilt();
  step = 'starting the servers';
  const servers = await startServers(built);
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-connect-e2e-world-'));
  try {
    step = 'preparing the servers';
    const info = await prepare(servers.apps, servers.provider, built.appsPluginBundle);
    const worldFile = join(dir, 'world.json');
    writeFileSync(worldFile, JSON.stringify(info, null, 2));
    const env = { SCENARIO_BACKEND: 'real', E2E_WORLD_FILE: worldFile };
    step = 'the scenario suite on the real server';
    run(step, ['scripts/run_tests.mjs', 'scenarios'], env);
    step = 'the E2E tests';
    run(step, ['scripts/run_tests.mjs', 'e2e'], env);
    log(`all E2E steps passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  } catch (err) {
    console.error(`[e2e] FAILED at step "${step}": ${(err as Error).message}`);
    for (const s of [servers.apps, servers.provider]) console.error(`--- ${s.name} server log (${s.logFile}):\n${tail(s.logFile, 30)}`);
    process.exitCode = 1;
  } finally {
    await servers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
