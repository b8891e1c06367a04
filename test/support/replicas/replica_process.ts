/**
 * One replica of the built service (dist/main.js, as `npm start` runs it) in a
 * child process on a fixed port, so a restart comes back at the same address.
 * Its output goes straight to a log file (the kernel writes it: no pipe for the
 * parent to drain, which matters when the parent also runs the load), read
 * back to see "listening" and for a failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN_JS = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;

/** A port the OS says is free now (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class ReplicaProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Bytes of the log written before the current start. */
  private logOffset = 0;
  starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private env: Record<string, string>,
    /** A folder of the caller's; the log is `<name>.log` in it. */
    logDir: string,
    /** Extra node flags, e.g. --cpu-prof. */
    private readonly nodeFlags: readonly string[] = [],
  ) {
    this.logFile = join(logDir, `${name.replace(/\W+/g, '-')}.log`);
  }

  readonly logFile: string;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The current process id (undefined before the first start). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Starts the process and resolves once it logs "listening". */
  async start(): Promise<void> {
    // A second process would lose the handle of the first, which then outlives the test.
    if (this.running) throw new Error(`${this.name} is already running`);
    this.logOffset = this.log().length;
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env, HOST: '127.0.0.1', PORT: String(this.port) };
    const out = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--enable-source-maps', ...this.nodeFlags, MAIN_JS], { env, stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    this.starts += 1;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!this.log().slice(this.logOffset).includes('"listening"')) {
      if (!this.running) throw new Error(`${this.name} exited (${child.exitCode ?? child.signalCode}) before listening:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not start within ${START_TIMEOUT_MS} ms:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Changes the environment of the next start (a value of undefined removes the variable): a restart with new settings. */
  setEnv(changes: Record<string, string | undefined>): void {
    const env = { ...this.env };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    this.env = env;
  }

  /** Everything the process printed, every start included. */
  output(): string {
    return this.log();
  }

  /** SIGKILL: no shutdown code runs, open sockets and database connections just drop. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for the graceful exit. */
  async stop(): Promise<void> {
    if (this.running) this.child?.kill('SIGTERM');
    await this.exited;
  }

  tail(lines = 30): string {
    return this.log().trimEnd().split('\n').slice(-lines).join('\n');
  }
}
