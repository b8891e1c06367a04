/**
 * The Apps host's /bindings while users are copied to the standalone host, on
 * a machine other jobs load: the App alone (as `npm run bench` measures it),
 * both hosts with user copying off, both hosts with it on and the user copied
 * already, and the express+json floor answering the same JSON, all in the
 * same run. Sequential requests (one connection) in short slices that take
 * turns, and the median over the slices of each process's CPU per request.
 * With another checkout (its dist/ built, and this bench's apps_move_server.mjs
 * and servers.ts copied into its bench/), its both-hosts process too, in the
 * same two states, sent the bindings call without the user's token, as the
 * plugin sends it to an App installed with that checkout's manifest.
 *   node --import tsx bench/bindings_move_ab.ts [slices=10] [requests per slice=500] [other checkout]
 * Needs `npm run build` (dist/). Not part of npm run bench.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTING_USER_ID, bindingsBody, pluginJwt } from './payloads.js';
import { sequentialPost } from './sequential_post.js';
import { startServer, type ServerProcess } from './servers.js';

const [slicesArg, perSliceArg, baseRoot] = process.argv.slice(2);
const slices = Number(slicesArg ?? 10);
const perSlice = Number(perSliceArg ?? 500);
const secret = randomBytes(32).toString('base64url');
const headers = { 'content-type': 'application/json', 'mattermost-app-authorization': `Bearer ${await pluginJwt(secret)}` };
const body = bindingsBody();
const bodyWithoutToken = (() => {
  const call = JSON.parse(body) as { expand: Record<string, string>; context: Record<string, unknown> };
  delete call.expand.acting_user_access_token;
  delete call.context.acting_user_access_token;
  return JSON.stringify(call);
})();

const post = sequentialPost(headers);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const env = { BENCH_JWT_SECRET: secret, BENCH_ENCRYPTION_KEY: randomBytes(32).toString('base64'), BENCH_USER_ID: ACTING_USER_ID };
const dirs = [await mkdtemp(join(tmpdir(), 'bench-move-off-')), await mkdtemp(join(tmpdir(), 'bench-move-copied-'))];
const servers: Record<string, ServerProcess> = {
  app: await startServer('app', { env, responses: {} }),
  'move off': await startServer('apps-move', { env: { ...env, BENCH_APPS_MOVE: 'off', BENCH_DATA_DIR: dirs[0]! }, responses: {} }),
  copied: await startServer('apps-move', { env: { ...env, BENCH_APPS_MOVE: 'copied', BENCH_DATA_DIR: dirs[1]! }, responses: {} }),
};
const bodies: Record<string, string> = {};
if (baseRoot) {
  const { startServer: startBase } = (await import(`${baseRoot}/bench/servers.ts`)) as { startServer: typeof startServer };
  dirs.push(await mkdtemp(join(tmpdir(), 'bench-base-off-')), await mkdtemp(join(tmpdir(), 'bench-base-copied-')));
  servers['base: move off'] = await startBase('apps-move', { env: { ...env, BENCH_APPS_MOVE: 'off', BENCH_DATA_DIR: dirs[2]! }, responses: {} });
  servers['base: copied'] = await startBase('apps-move', { env: { ...env, BENCH_APPS_MOVE: 'copied', BENCH_DATA_DIR: dirs[3]! }, responses: {} });
  bodies['base: move off'] = bodies['base: copied'] = bodyWithoutToken;
}
const answer = await post(servers.app!.url + '/bindings', body);
if (!answer.includes('"location"')) throw new Error(`/bindings: ${answer.slice(0, 200)}`);
servers.floor = await startServer('express-json', { env: {}, responses: { '/bindings': answer } });
const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
for (let s = -2; s < slices; s += 1) {
  for (const [name, server] of Object.entries(servers)) {
    const before = (await server.stats()).cpuUs;
    for (let i = 0; i < perSlice; i += 1) {
      if ((await post(server.url + '/bindings', bodies[name] ?? body)) !== answer) throw new Error(`${name} answers /bindings differently`);
    }
    if (s >= 0) cpu[name]!.push(((await server.stats()).cpuUs - before) / perSlice);
  }
}
const m = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
console.log(`CPU µs per /bindings, median of ${slices} slices of ${perSlice}:`);
for (const name of Object.keys(servers)) console.log(`  ${name}: ${m[name]!.toFixed(0)} (${(m[name]! / m.floor!).toFixed(2)} x floor)`);
for (const s of Object.values(servers)) await s.stop();
for (const dir of dirs) await rm(dir, { recursive: true, force: true });
process.exit(0);
