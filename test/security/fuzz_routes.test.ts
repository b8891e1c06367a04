import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { startApp, type RunningApp } from '../support/app_server.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { SecretAudit } from './support/audit.js';
import { startCountingSite, type CountingSite } from './support/counting_site.js';
import { problemWith, prototypeKeys, settledHeapMb, watchCrashes } from './support/fuzz_checks.js';
import { anyInput, issuedTokens, jwtInput, refusedInput, type FuzzClass, type FuzzInput } from './support/fuzz_requests.js';
import type { Targets } from './support/fuzz_values.js';
import { jwtHeader, postRaw, signedCall } from './support/signed.js';
import { APP_ID } from '../../src/hosts/apps/protocol/manifest.js';
import { loopbackFetch, tokenCollector } from './support/world.js';

const BATCH = 250;
const SCHEDULE: FuzzClass[] = ['any', 'refused', 'any', 'jwt', 'any', 'refused', 'any', 'any'];
const BATCHES = 44;
const PARALLEL = 16;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

let app: RunningApp;
let site: CountingSite;
let op: StartedOidcProvider;
const audit = new SecretAudit();
const outbound = loopbackFetch(undefined, tokenCollector(audit));

const outcomes: Record<string, number> = {};
const signed = new Map<string, Promise<string | undefined>>();
/** One JWT per kind and acting user, as the plugin's stay valid for 15 minutes. */
function header(input: FuzzInput): Promise<string | undefined> {
  const key = `${input.jwt}\u0000${input.actingUserId}`;
  if (!signed.has(key)) signed.set(key, jwtHeader(app.config.jwtSecret!, input.jwt, input.actingUserId));
  return signed.get(key)!;
}

async function send(input: FuzzInput): Promise<string | undefined> {
  const answer = await postRaw(app.url, input.path, input.body, await header(input));
  const problem = problemWith(input, answer, audit);
  const outcome = `${input.cls} ${answer.status} ${answer.json?.type}`;
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  return problem && `${input.cls}/${input.why} ${input.path.slice(0, 20)}: ${problem.replace(/…\S+/, '…')} <- ${input.body.slice(0, 300)}`;
}

async function runBatch(inputs: FuzzInput[]): Promise<string[]> {
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const p = await send(inputs[next++]!);
      if (p) problems.push(p);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return problems;
}

describe('fuzzing every call route over HTTP', () => {
  before(async () => {
    op = await startOidcProvider({ redirectUris: ['http://127.0.0.1:9/complete'] });
    app = audit.watch(await startApp({ APP_HTTP_TIMEOUT_MS: '1000', APP_REVOCATION_TIMEOUT_MS: '1000', APP_LOG_LEVEL: 'info' }, { fetch: outbound }));
    // The fuzzed body's provider `idp` (issuer op.issuer) and user `uadmin`: the tokens the site serves belong to that slot.
    const idpSlot = { kind: 'token', provider_id: 'idp', user_id: 'uadmin', origin: new URL(op.issuer).origin, scope: APP_ID } as const;
    site = await startCountingSite((p) => app.deps.sealer.seal(p, idpSlot), Date.now);
    audit.add(op.clients.basic.client_secret);
  });
  after(async () => {
    await app.close();
    await site.close();
    await op.close();
  });

  it('when 11,000 random, mutated and hostile calls arrive, then each gets 200 and a valid call response (401 for a broken JWT), refused ones store nothing, and memory stays bounded', async () => {
    const targets: Targets = {
      siteUrl: site.url,
      issuers: [op.issuer, site.url, 'http://127.0.0.1:1'],
      sealedSecret: app.deps.sealer.seal(op.clients.basic.client_secret!, {
        kind: 'client_secret',
        provider_id: 'idp',
        origin: new URL(op.issuer).origin,
        scope: APP_ID,
      }),
      clientId: 'client-basic',
    };
    const arbitraries = { any: anyInput(targets), refused: refusedInput(targets), jwt: jwtInput(targets) };
    const crashes = watchCrashes();
    const protoBefore = prototypeKeys();
    const counts: Record<string, number> = {};
    const problems: string[] = [];
    console.log(`[security] fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);

    await runBatch(fc.sample(arbitraries.any, { numRuns: BATCH, seed: seed - 1 }));
    await app.deps.reportIndex.flush();
    const heapBefore = settledHeapMb();
    const started = performance.now();
    for (let b = 0; b < BATCHES; b += 1) {
      const cls = SCHEDULE[b % SCHEDULE.length]!;
      const inputs = fc.sample(arbitraries[cls], { numRuns: BATCH, seed: seed + b });
      audit.add(...issuedTokens.splice(0));
      for (const i of inputs) counts[`${i.cls}: ${i.why}`] = (counts[`${i.cls}: ${i.why}`] ?? 0) + 1;
      await app.deps.reportIndex.flush();
      const before = { writes: site.writes, out: outbound.counts.sent + outbound.counts.blocked };
      problems.push(...(await runBatch(inputs)));
      await app.deps.reportIndex.flush();
      if (cls !== 'any') {
        assert.equal(site.writes - before.writes, 0, `a ${cls} batch stored nothing (seed ${seed + b})`);
        assert.equal(outbound.counts.sent + outbound.counts.blocked - before.out, 0, `a ${cls} batch made no outbound request (seed ${seed + b})`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const heapAfter = settledHeapMb();
    crashes.stop();

    const total = BATCHES * BATCH;
    console.log(`[security] fuzz: ${total} calls in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s); heap ${heapBefore} MB -> ${heapAfter} MB`);
    console.log(`[security] fuzz inputs: ${JSON.stringify(counts)}`);
    console.log(`[security] fuzz answers (class, HTTP status, type): ${JSON.stringify(outcomes)}`);
    console.log(
      `[security] fuzz outbound: ${outbound.counts.sent} sent to 127.0.0.1, ${outbound.counts.blocked} blocked (other hosts); at the site ${site.reads} reads, ${site.writes} writes ${JSON.stringify(site.writesByKind)}; provider ${JSON.stringify(op.counters)}`,
    );
    const kinds = new Map<string, number>();
    for (const p of problems) kinds.set(p.split(' <- ')[0]!, (kinds.get(p.split(' <- ')[0]!) ?? 0) + 1);
    assert.deepEqual([...kinds], [], `${problems.length} bad answers, e.g. ${problems.slice(0, 3).join('\n')}`);
    assert.equal(crashes.count, 0, 'no uncaught exception or unhandled rejection');
    assert.equal(prototypeKeys(), protoBefore, 'no prototype was polluted');
    assert.ok(heapAfter - heapBefore < 48, `heap grew by ${heapAfter - heapBefore} MB`);
    const ping = await signedCall(app.url, app.config.jwtSecret!, '/ping', { context: {} });
    assert.deepEqual([ping.status, ping.json], [200, { type: 'ok' }], 'the App still answers');
    audit.assertClean('fuzz');
  });
});
