// Small process helpers shared by the harness: every long step prints progress
// so a cold build or a slow server start never looks like a hang in CI.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';

export function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

/** Last `lines` lines of a text file, or a note when it does not exist. */
export function tail(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no file ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a command to completion and returns its stdout; throws with stderr on failure. */
export function runQuiet(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error}`);
  }
  return r.stdout;
}

/**
 * Runs a long command with its output appended to `logFile`, printing a
 * "still <what>… Ns" line every `tickSeconds`. On failure the error carries the
 * log's tail, which is where go puts the reason.
 */
export async function runLogged(
  what: string,
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; tickSeconds?: number },
): Promise<void> {
  const out = createWriteStream(opts.logFile, { flags: 'a' });
  await new Promise<void>((resolve) => out.once('open', () => resolve()));
  const started = Date.now();
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out] });
  const ticker = setInterval(
    () => {
      const lines = existsSync(opts.logFile) ? readFileSync(opts.logFile, 'utf8').split('\n').length : 0;
      log(`still ${what}… ${Math.round((Date.now() - started) / 1000)}s (${lines} log lines, ${opts.logFile})`);
    },
    (opts.tickSeconds ?? 30) * 1000,
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      throw new Error(`${what} failed (exit ${code}); see ${opts.logFile}. Last lines:\n${tail(opts.logFile)}`);
    }
  } finally {
    clearInterval(ticker);
    out.end();
  }
}
