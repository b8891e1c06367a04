/**
 * The Mattermost bench's measurement: sequential POST /api/v4/commands/execute
 * as a user, each /oauth2 command right after the no-op command, so both see
 * the same moment of a shared machine; every answer is checked. Then the
 * table of p50/p90/p99 per command, what /oauth2 adds to the no-op's, and the
 * budget: added p50 <= 1.5 ms, added p99 <= 5 ms.
 */
import { percentile } from './load.js';

export interface BenchCommand {
  /** As the table names it, e.g. `status`. */
  name: string;
  /** As typed, e.g. `/oauth2 status`. */
  command: string;
  /** What its answer must say (a refusal or an error would be measured otherwise). */
  expect: RegExp;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface CommandTiming {
  command: string;
  samples: number;
  ours: Percentiles;
  noop: Percentiles;
}

export interface RoundsOptions {
  /** Runs a command through Mattermost and returns the answer's text. */
  execute(command: string): Promise<string>;
  /** The no-op's trigger word. */
  noop: string;
  commands: BenchCommand[];
  pairs: number;
  warmupPairs: number;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
};

async function timed(execute: RoundsOptions['execute'], command: string, expect?: RegExp): Promise<number> {
  const started = performance.now();
  const text = await execute(command);
  const ms = performance.now() - started;
  if (expect && !expect.test(text)) throw new Error(`${command} answered: ${text.slice(0, 300)}`);
  return ms;
}

export async function measureCommands(options: RoundsOptions): Promise<CommandTiming[]> {
  const ours = new Map(options.commands.map((c) => [c.name, [] as number[]]));
  const noop = new Map(options.commands.map((c) => [c.name, [] as number[]]));
  for (let pair = 0; pair < options.warmupPairs + options.pairs; pair += 1) {
    for (const command of options.commands) {
      const noopMs = await timed(options.execute, `/${options.noop}`);
      const oursMs = await timed(options.execute, command.command, command.expect);
      if (pair < options.warmupPairs) continue;
      noop.get(command.name)!.push(noopMs);
      ours.get(command.name)!.push(oursMs);
    }
  }
  return options.commands.map((c) => ({ command: c.name, samples: options.pairs, ours: percentiles(ours.get(c.name)!), noop: percentiles(noop.get(c.name)!) }));
}

/** Sequential timings of any request (e.g. the provider's userinfo, which whoami's answer includes). */
export async function measureDirect(request: () => Promise<void>, count: number): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await request();
    times.push(performance.now() - started);
  }
  return percentiles(times);
}

export const MATTERMOST_BUDGET = { addedP50Ms: 1.5, addedP99Ms: 5 };

const fixed = (n: number) => n.toFixed(2);

/** The table of every row; the budget lines for the rows `budgeted` names (the /oauth2 commands). */
export function mattermostTable(title: string, timings: CommandTiming[], budgeted: (command: string) => boolean, say: (line?: string) => void): boolean {
  say(title);
  const widths = [10, 5, 7, 7, 7, 7, 7, 7, 9, 9, 9];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  say(row(['command', 'n', 'p50 ms', 'p90', 'p99', 'no-op p50', 'p90', 'p99', 'added p50', 'added p90', 'added p99']));
  for (const t of timings) {
    const added = (k: keyof Percentiles) => fixed(t.ours[k] - t.noop[k]);
    say(
      row([
        t.command,
        String(t.samples),
        fixed(t.ours.p50),
        fixed(t.ours.p90),
        fixed(t.ours.p99),
        fixed(t.noop.p50),
        fixed(t.noop.p90),
        fixed(t.noop.p99),
        added('p50'),
        added('p90'),
        added('p99'),
      ]),
    );
  }
  const { addedP50Ms, addedP99Ms } = MATTERMOST_BUDGET;
  say(`Budget: added p50 <= ${addedP50Ms} ms, added p99 <= ${addedP99Ms} ms (each command vs the no-op it was interleaved with)`);
  let allMet = true;
  for (const t of timings.filter((row) => budgeted(row.command))) {
    for (const [k, limit] of [
      ['p50', addedP50Ms],
      ['p99', addedP99Ms],
    ] as const) {
      const added = t.ours[k] - t.noop[k];
      allMet &&= added <= limit;
      say(
        `  ${added <= limit ? 'met   ' : 'MISSED'}  ${t.command} added ${k}: ${fixed(added)} ms (${fixed(t.ours[k])} - ${fixed(t.noop[k])}; budget <= ${limit} ms)`,
      );
    }
  }
  return allMet;
}
