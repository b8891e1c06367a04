/**
 * Summarises a .cpuprofile of the App's process (BENCH_CPU_PROF=1 npm run bench
 * writes them into bench/profiles/): the share of busy time per part of a call,
 * and the hottest functions by self time.
 *   node --import tsx bench/profile_summary.ts bench/profiles/CPU.*.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The first matching rule, from the sampled frame up its stack, names the part. */
const PARTS: Array<[RegExp, string]> = [
  [/jose|hosts\/apps\/http\/jwt|crypto\/(webcrypto|mac|util|keys|webidl|hash)|js_transferable/, 'JWT check (HS256, node:crypto)'],
  [/src\/log\/|dist\/log\//, 'logger'],
  [/express\/lib\/response\.js stringify/, 'answer JSON.stringify'],
  [/zod\//, 'zod (call parsing, stored records)'],
  [/(src|dist)\/hosts\/apps\/(calls|protocol|store)\/|(src|dist)\/core\//, 'handler (bindings, status)'],
  // Before call_route, which writes the answer: its res.json/send and node's writing are the floor's too.
  [/express\/lib\/response\.js|_http_outgoing|_http_server (writeHead|_implicitHeader)/, 'answer writing (res.json/send, headers)'],
  [/(src|dist)\/hosts\/apps\/http\/(parse_call|caller_checks|call_route)/, 'call parsing and caller checks'],
  [/body-parser|raw-body|iconv-lite|type-is|content-type/, 'body reading and JSON.parse (express.json)'],
];
const LEAF: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(idle)': 'idle',
  '(program)': 'V8/native',
  writev: 'socket writes',
  writeUtf8String: 'socket writes',
  writeBuffer: 'socket writes',
};
const frame = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|dist|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

function summarise(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parts = new Map<string, number>();
  const self = new Map<string, number>();
  for (const [id, t] of timeOf) {
    const leaf = byId.get(id)!;
    self.set(frame(leaf), (self.get(frame(leaf)) ?? 0) + t);
    let part = LEAF[leaf.callFrame.functionName];
    for (let cur: number | undefined = id; !part && cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      part = PARTS.find(([re]) => re.test(`${f.url} ${f.functionName}`))?.[1];
    }
    part ??= 'node http, express router and the rest';
    parts.set(part, (parts.get(part) ?? 0) + t);
  }
  const busy = [...parts].filter(([p]) => p !== 'idle').reduce((sum, [, t]) => sum + t, 0);
  const share = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(busy / 1e6).toFixed(1)} s busy`);
  for (const [p, t] of [...parts].filter(([name]) => name !== 'idle').sort((a, b) => b[1] - a[1])) console.log(`  ${share(t)}  ${p}`);
  console.log('  hottest functions (self time):');
  for (const [f, t] of [...self]
    .filter(([name]) => !name.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15))
    console.log(`    ${share(t)}  ${f}`);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node --import tsx bench/profile_summary.ts <file.cpuprofile> ...');
  process.exit(2);
}
for (const file of files) summarise(file);
