/**
 * One replica of the built service (dist/main.js, as `npm start` runs it) in a
 * child process on a fixed port, so a restart comes back at the same address.
 * It keeps the last lines of its output for a failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const MAIN_JS = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));
const KEPT_LINES = 200;
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
  readonly lines: string[] = [];
  starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once it logs "listening". */
  async start(): Promise<void> {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env, HOST: '127.0.0.1', PORT: String(this.port) };
    const child = spawn(process.execPath, ['--enable-source-maps', MAIN_JS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts += 1;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start within ${START_TIMEOUT_MS} ms:\n${this.tail()}`)), START_TIMEOUT_MS);
      const onData = (data: Buffer) => {
        for (const line of data.toString('utf8').split('\n').filter(Boolean)) {
          this.lines.push(line);
          if (this.lines.length > KEPT_LINES) this.lines.shift();
          if (line.includes('"listening"')) {
            clearTimeout(timer);
            resolve();
          }
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once(
        'exit',
        (code, signal) => (clearTimeout(timer), reject(new Error(`${this.name} exited (${code ?? signal}) before listening:\n${this.tail()}`))),
      );
    });
    await listening;
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
    return this.lines.slice(-lines).join('\n');
  }
}
