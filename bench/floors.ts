/**
 * BENCH_ONLY=floors: what each floor the budgets divide by costs on the Node
 * line that runs the bench, with no service beside it. The same status answer
 * to the same command body: bare node:http (which neither reads nor parses
 * the body), bare express, express parsing the urlencoded body (the standalone
 * budget's floor), and express parsing a JSON body of the same fields (the
 * token API's and /bindings' floor). Run it under each Node line to compare:
 * the express floors' cost moves with the line far more than node:http's
 * (bench/README.md, "The floors on each Node line").
 */
import { CONCURRENCY, warmupFor } from './http_bench.js';
import { median, runLoad } from './load.js';
import { startServer, type Variant } from './servers.js';
import { HEADERS, PATH, statusForm } from './standalone_command.js';

const FLOORS = ['node', 'express', 'express-form', 'express-json'] as const satisfies readonly Variant[];
type Floor = (typeof FLOORS)[number];

/** An ephemeral answer of the status text's size and shape, served verbatim by every floor. */
const ANSWER = JSON.stringify({ response_type: 'ephemeral', text: `**GitHub** (github): connected as **jane-doe**, ${'x'.repeat(120)}` });

/** The command body, urlencoded as Mattermost posts it, or its fields as JSON for the JSON floor. */
function requestOf(floor: Floor): { body: string; headers: Record<string, string> } {
  const form = statusForm('a'.repeat(180));
  if (floor !== 'express-json') return { body: form, headers: HEADERS };
  return { body: JSON.stringify(Object.fromEntries(new URLSearchParams(form))), headers: { 'content-type': 'application/json' } };
}

export interface FloorRow {
  floor: Floor;
  connections: number;
  cpuUs: number;
  rps: number;
}

export async function floorsBench(options: { rounds: number; durationS: number; warmupS: number }, progress: (line: string) => void): Promise<FloorRow[]> {
  const servers = await Promise.all(FLOORS.map((floor) => startServer(floor, { env: {}, responses: { [PATH]: ANSWER } })));
  const runs = new Map<string, Array<{ cpuUs: number; rps: number }>>();
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      // The order rotates each round, so drift on the shared cores hits every floor alike.
      for (const index of FLOORS.map((_, i) => (i + round) % FLOORS.length)) {
        const server = servers[index]!;
        const floor = FLOORS[index]!;
        const load = (connections: number, duration: number) =>
          runLoad({ url: server.url + PATH, ...requestOf(floor), connections, duration, verify: (text) => text === ANSWER });
        await load(16, warmupFor(round, options.warmupS));
        for (const connections of CONCURRENCY) {
          const before = await server.stats();
          const result = await load(connections, options.durationS);
          const cpuUs = ((await server.stats()).cpuUs - before.cpuUs) / result.requests;
          const key = `${floor}|${connections}`;
          runs.set(key, [...(runs.get(key) ?? []), { cpuUs, rps: result.rps }]);
        }
      }
      progress(`  round ${round + 1}/${options.rounds}: the four floors done`);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  return FLOORS.flatMap((floor) =>
    CONCURRENCY.map((connections) => {
      const list = runs.get(`${floor}|${connections}`) ?? [];
      return { floor, connections, cpuUs: median(list.map((r) => r.cpuUs)), rps: median(list.map((r) => r.rps)) };
    }),
  );
}

export function floorsTable(rows: FloorRow[], say: (line: string) => void): void {
  say(`The floors on node ${process.version}: CPU µs per request (server process) and requests/s, medians; the same status answer to the same command`);
  say(['floor        ', ...CONCURRENCY.map((c) => `c=${c} CPU µs     r/s`)].join('  '));
  for (const floor of FLOORS) {
    const cells = CONCURRENCY.map((c) => {
      const row = rows.find((r) => r.floor === floor && r.connections === c);
      return row ? `${row.cpuUs.toFixed(0).padStart(10)}  ${row.rps.toFixed(0).padStart(6)}` : ''.padStart(18);
    });
    say([floor.padEnd(13), ...cells].join('  '));
  }
}
