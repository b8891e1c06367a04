/**
 * Two builds of the standalone service side by side, for a change's before and
 * after on a machine other jobs load: this checkout's and another's (its own
 * dist/, built), each on a scratch database of its own, and the urlencoded
 * express floor, all three in the same run. Sequential /oauth2 status
 * requests (one connection, each with a freshly signed trigger), in short
 * slices that take turns, and the median over the slices of each process's
 * CPU per request: the load of the moment hits the three alike, so their
 * ratios hold where the absolute figures move.
 *   node --import tsx bench/standalone_ab.ts <other checkout> [slices=10] [requests per slice=300] [sqlite,postgres]
 * Not part of npm run bench.
 */
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createScratch, type BackendName } from '../test/support/standalone_db.js';
import { createTriggerSigner } from '../test/support/standalone/trigger_signer.js';
import { serveClientConfig } from './client_config_server.js';
import { sequentialPost } from './sequential_post.js';
import { startServer as startNew, type ServerProcess } from './servers.js';
import { HEADERS, PATH, SEED, statusForm } from './standalone_command.js';

const [baseRoot, slicesArg, perSliceArg, backendsArg] = process.argv.slice(2);
if (!baseRoot) throw new Error('usage: node --import tsx bench/standalone_ab.ts <other checkout> [slices] [requests per slice] [sqlite,postgres]');
const slices = Number(slicesArg ?? 10);
const perSlice = Number(perSliceArg ?? 300);
const { startServer: startBase } = (await import(`${baseRoot}/bench/servers.ts`)) as { startServer: typeof startNew };

const post = sequentialPost(HEADERS);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const signer = createTriggerSigner();
const sign = () => statusForm(signer.sign(SEED.userId));
const mm = await serveClientConfig(signer.publicKeyBase64);
const seed = { ...SEED, mattermostUrl: mm.url, triggerWindowMs: 120_000 };
const env = { BENCH_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
for (const backend of (backendsArg ?? 'sqlite,postgres').split(',') as BackendName[]) {
  const scratchA = await createScratch(backend);
  const scratchB = await createScratch(backend);
  const dbEnv = (s: typeof scratchA): Record<string, string> =>
    s.settings.kind === 'postgres' ? { BENCH_DATABASE_URL: s.settings.url } : { BENCH_DATA_DIR: dirname(s.settings.file) };
  const servers: Record<string, ServerProcess> = {
    base: await startBase('standalone', { env: { ...env, ...dbEnv(scratchA) }, responses: {}, seed }),
    new: await startNew('standalone', { env: { ...env, ...dbEnv(scratchB) }, responses: {}, seed }),
  };
  await new Promise((r) => setTimeout(r, 1500));
  const answer = await post(servers.new!.url + PATH, sign());
  servers.floor = await startNew('express-form', { env: {}, responses: { [PATH]: answer } });
  const cpu: Record<string, number[]> = { base: [], new: [], floor: [] };
  for (let s = -1; s < slices; s += 1) {
    for (const name of Object.keys(servers)) {
      const server = servers[name]!;
      const bodies = Array.from({ length: perSlice }, sign);
      const before = (await server.stats()).cpuUs;
      for (const body of bodies) {
        const text = await post(server.url + PATH, body);
        if (!text.includes('connected as')) throw new Error(`${name}: ${text.slice(0, 200)}`);
      }
      const used = ((await server.stats()).cpuUs - before) / perSlice;
      if (s >= 0) cpu[name]!.push(used);
    }
  }
  const m = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
  console.log(
    `${backend}: CPU µs/status median of ${slices} slices of ${perSlice}: base ${m.base!.toFixed(0)}, new ${m.new!.toFixed(0)}, floor ${m.floor!.toFixed(0)}; base/floor ${(m.base! / m.floor!).toFixed(2)}, new/floor ${(m.new! / m.floor!).toFixed(2)}, new/base ${(m.new! / m.base!).toFixed(2)}`,
  );
  console.log(`  per-slice new/base: ${cpu.new!.map((v, i) => (v / cpu.base![i]!).toFixed(2)).join(' ')}`);
  for (const s of Object.values(servers)) await s.stop();
  await scratchA.dispose();
  await scratchB.dispose();
}
await mm.close();
process.exit(0);
