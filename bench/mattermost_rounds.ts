/**
 * The Mattermost bench's measurement: sequential POST /api/v4/commands/execute
 * as a user, each /oauth2 command right after the two no-op commands (the `{}`
 * one and the one answering an ephemeral text of the same size), so all three
 * see the same moment of a shared machine; every answer is checked. Then the
 * table of p50/p90/p99 per command and two comparisons: what /oauth2 adds to
 * the `{}` no-op (the budget: added p50 <= 1.5 ms, added p99 <= 5 ms), and
 * what it adds to the text no-op, which pays what Mattermost itself does with
 * any answer that has a text (the ephemeral post and its websocket event):
 * that second difference is OAuth2 Connect's own.
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
  /** The `{}` no-op, measured right before it. */
  noop: Percentiles;
  /** The text no-op, measured right before it. */
  textNoop: Percentiles;
}

export interface RoundsOptions {
  /** Runs a command through Mattermost and returns the answer's text. */
  execute(command: string): Promise<string>;
  /** The no-ops' trigger words: `{}`, and the same-size ephemeral text. */
  noop: string;
  textNoop: { trigger: string; expect: RegExp };
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
  const samples = new Map(options.commands.map((c) => [c.name, { ours: [] as number[], noop: [] as number[], textNoop: [] as number[] }]));
  for (let pair = 0; pair < options.warmupPairs + options.pairs; pair += 1) {
    for (const command of options.commands) {
      const noopMs = await timed(options.execute, `/${options.noop}`);
      const textMs = await timed(options.execute, `/${options.textNoop.trigger}`, options.textNoop.expect);
      const oursMs = await timed(options.execute, command.command, command.expect);
      if (pair < options.warmupPairs) continue;
      const kept = samples.get(command.name)!;
      kept.noop.push(noopMs);
      kept.textNoop.push(textMs);
      kept.ours.push(oursMs);
    }
  }
  return options.commands.map((c) => {
    const kept = samples.get(c.name)!;
    return { command: c.name, samples: options.pairs, ours: percentiles(kept.ours), noop: percentiles(kept.noop), textNoop: percentiles(kept.textNoop) };
  });
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

/** The table, the budget lines (against the `{}` no-op) and what is OAuth2 Connect's own (against the text no-op); true when every budget is met. */
export function mattermostTable(title: string, timings: CommandTiming[], say: (line?: string) => void): boolean {
  say(title);
  const widths = [8, 4, 7, 7, 7, 7, 7, 7, 7, 9, 9, 9, 9];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  say(row(['command', 'n', 'p50 ms', 'p90', 'p99', '{} p50', '{} p99', 'text p50', 'text p99', '+{} p50', '+{} p99', '+text p50', '+text p99']));
  for (const t of timings) {
    const plus = (floor: Percentiles, k: keyof Percentiles) => fixed(t.ours[k] - floor[k]);
    say(
      row([
        t.command,
        String(t.samples),
        fixed(t.ours.p50),
        fixed(t.ours.p90),
        fixed(t.ours.p99),
        fixed(t.noop.p50),
        fixed(t.noop.p99),
        fixed(t.textNoop.p50),
        fixed(t.textNoop.p99),
        plus(t.noop, 'p50'),
        plus(t.noop, 'p99'),
        plus(t.textNoop, 'p50'),
        plus(t.textNoop, 'p99'),
      ]),
    );
  }
  const { addedP50Ms, addedP99Ms } = MATTERMOST_BUDGET;
  say(`Budget: added p50 <= ${addedP50Ms} ms, added p99 <= ${addedP99Ms} ms, against the {} no-op each command was interleaved with`);
  let allMet = true;
  for (const t of timings) {
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
  say("Of that, OAuth2 Connect's own: added to the text no-op (the same ephemeral text's size; Mattermost's post and websocket event are in both)");
  for (const t of timings) {
    const own = t.ours.p50 - t.textNoop.p50;
    const mattermost = t.textNoop.p50 - t.noop.p50;
    say(`  ${t.command}: ours p50 +${fixed(own)} ms, p99 +${fixed(t.ours.p99 - t.textNoop.p99)} ms; Mattermost's text handling p50 +${fixed(mattermost)} ms`);
  }
  return allMet;
}
