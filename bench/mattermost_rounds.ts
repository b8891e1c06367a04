/**
 * The Mattermost bench's measurement: sequential POST /api/v4/commands/execute
 * as a user, each /oauth2 command right after two no-op commands served by
 * bare express (the `{}` one, and the one answering the command's own
 * ephemeral text), so all three see the same moment of a shared machine;
 * every answer is checked. For a command whose answer includes a call to the
 * provider (whoami's userinfo), that call is also made directly with undici's
 * request (not fetch, which costs more per request here), right after the
 * `{}` no-op: after a command through Mattermost, as the command's own call
 * comes, so the provider's process is as warm or as cold for both.
 *
 * The budget is what OAuth2 Connect adds to what the user waits for: at most
 * 1.5 ms at p50 and 5 ms at p99 beyond the text no-op (plus, for whoami, the
 * provider's own answer). The `{}` no-op is shown beside it: Mattermost's own
 * work for any text answer (an ephemeral post, its post-priority and
 * acknowledgement reads, a websocket event) is the difference between the
 * two no-ops, which no command that answers a text can avoid.
 */
import { percentile } from './load.js';

export interface BenchCommand {
  /** As the table names it, e.g. `status`. */
  name: string;
  /** As typed, e.g. `/oauth2 status`. */
  command: string;
  /** What its answer must say (a refusal or an error would be measured otherwise). */
  expect: RegExp;
  /** The provider call its answer includes, made directly (whoami: the userinfo request), timed right after the `{}` no-op. */
  providerCall?: () => Promise<void>;
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
  /** The text no-op answering this command's own text, measured right before it. */
  textNoop: Percentiles;
  /** The provider call of BenchCommand.providerCall, measured right after the `{}` no-op. */
  provider?: Percentiles;
}

export interface RoundsOptions {
  /** Runs a command through Mattermost and returns the answer's text. */
  execute(command: string): Promise<string>;
  /** The no-ops' trigger words: `{}`, and the text no-op, which answers what answerWith last set. */
  noop: string;
  textNoop: { trigger: string; answerWith(text: string): void };
  commands: BenchCommand[];
  pairs: number;
  warmupPairs: number;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
};

async function timed(execute: RoundsOptions['execute'], command: string, expected?: (answer: string) => boolean): Promise<number> {
  const started = performance.now();
  const text = await execute(command);
  const ms = performance.now() - started;
  if (expected && !expected(text)) throw new Error(`${command} answered: ${text.slice(0, 300)}`);
  return ms;
}

export async function measureCommands(options: RoundsOptions): Promise<CommandTiming[]> {
  // Each command's own answer, for the text no-op to answer the same text (same size, same markdown).
  const texts = new Map<string, string>();
  for (const command of options.commands) texts.set(command.name, await answerOf(options.execute, command));
  const samples = new Map(
    options.commands.map((c) => [c.name, { ours: [] as number[], noop: [] as number[], textNoop: [] as number[], provider: [] as number[] }]),
  );
  for (let pair = 0; pair < options.warmupPairs + options.pairs; pair += 1) {
    for (const command of options.commands) {
      const text = texts.get(command.name)!;
      options.textNoop.answerWith(text);
      const noopMs = await timed(options.execute, `/${options.noop}`);
      // Right after a command through Mattermost, as the command's own call to the provider comes.
      const providerMs = command.providerCall && (await measureDirect(command.providerCall, 1)).p50;
      const textMs = await timed(options.execute, `/${options.textNoop.trigger}`, (answer) => answer === text);
      const oursMs = await timed(options.execute, command.command, (answer) => command.expect.test(answer));
      if (pair < options.warmupPairs) continue;
      const kept = samples.get(command.name)!;
      kept.noop.push(noopMs);
      kept.textNoop.push(textMs);
      kept.ours.push(oursMs);
      if (providerMs !== undefined) kept.provider.push(providerMs);
    }
  }
  return options.commands.map((c) => {
    const kept = samples.get(c.name)!;
    return {
      command: c.name,
      samples: options.pairs,
      ours: percentiles(kept.ours),
      noop: percentiles(kept.noop),
      textNoop: percentiles(kept.textNoop),
      ...(kept.provider.length > 0 && { provider: percentiles(kept.provider) }),
    };
  });
}

async function answerOf(execute: RoundsOptions['execute'], command: BenchCommand): Promise<string> {
  const text = await execute(command.command);
  if (!command.expect.test(text)) throw new Error(`${command.command} answered: ${text.slice(0, 300)}`);
  return text;
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
const signed = (n: number) => (n < 0 ? '' : '+') + fixed(n);

/** What the user would wait for without OAuth2 Connect: the text no-op, and the provider's own answer where the command includes one. */
const floorOf = (t: CommandTiming, k: keyof Percentiles): number => t.textNoop[k] + (t.provider?.[k] ?? 0);

/** The table and the budget lines; true when every budget is met. */
export function mattermostTable(title: string, timings: CommandTiming[], say: (line?: string) => void): boolean {
  say(title);
  const widths = [8, 4, 7, 7, 7, 7, 7, 8, 8, 9, 9, 9, 9];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  say(row(['command', 'n', 'p50 ms', 'p90', 'p99', '{} p50', '{} p99', 'text p50', 'text p99', 'prov p50', 'prov p99', 'added p50', 'added p99']));
  for (const t of timings) {
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
        t.provider ? fixed(t.provider.p50) : '-',
        t.provider ? fixed(t.provider.p99) : '-',
        fixed(t.ours.p50 - floorOf(t, 'p50')),
        fixed(t.ours.p99 - floorOf(t, 'p99')),
      ]),
    );
  }
  const { addedP50Ms, addedP99Ms } = MATTERMOST_BUDGET;
  say(
    `Budget: OAuth2 Connect adds at most ${addedP50Ms} ms at p50 and ${addedP99Ms} ms at p99 to the text no-op answering the same text (whoami: plus the provider's userinfo asked directly)`,
  );
  let allMet = true;
  for (const t of timings) {
    for (const [k, limit] of [
      ['p50', addedP50Ms],
      ['p99', addedP99Ms],
    ] as const) {
      const added = t.ours[k] - floorOf(t, k);
      allMet &&= added <= limit;
      const floor = t.provider ? `(${fixed(t.textNoop[k])} + ${fixed(t.provider[k])})` : fixed(t.textNoop[k]);
      say(`  ${added <= limit ? 'met   ' : 'MISSED'}  ${t.command} added ${k}: ${fixed(added)} ms (${fixed(t.ours[k])} - ${floor}; budget <= ${limit} ms)`);
    }
  }
  say("Mattermost's own work for a text answer (the text no-op against the {} no-op), which every command that answers pays:");
  for (const t of timings) say(`  ${t.command}'s text: p50 ${signed(t.textNoop.p50 - t.noop.p50)} ms, p99 ${signed(t.textNoop.p99 - t.noop.p99)} ms`);
  return allMet;
}
