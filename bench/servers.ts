/**
 * Forks bench/server.mjs for a variant (plain node, the App from dist/),
 * bench/standalone_server.mjs for the standalone host, or
 * bench/apps_move_server.mjs for both hosts, and talks to it over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const STANDALONE_SERVER = fileURLToPath(new URL('./standalone_server.mjs', import.meta.url));
const APPS_MOVE_SERVER = fileURLToPath(new URL('./apps_move_server.mjs', import.meta.url));

export type Variant = 'app' | 'apps-move' | 'express' | 'express-json' | 'express-form' | 'node' | 'standalone';
/**
 * What the standalone server stores before it listens (the team's command token and the user with a
 * connection), and where it reads Mattermost's signing key (APP_MATTERMOST_URL) with the trigger window.
 */
export interface StandaloneSeed {
  teamId: string;
  commandToken: string;
  userId: string;
  mattermostUrl: string;
  triggerWindowMs: number;
  /** The token API rows: the SHA-256 (base64url) of the seeded client's credential. */
  tokenCredentialHash?: string;
}
type ToServer = { type: 'start'; responses: Record<string, string>; seed?: StandaloneSeed } | { type: 'stats'; gc: boolean } | { type: 'stop' };
export interface ServerStats {
  type: 'stats';
  /** CPU time of the process so far (user + system), microseconds. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  external: number;
  /** Log lines the App wrote (to nowhere) so far. */
  logLines: number;
  logBytes: number;
}
type FromServer = { type: 'listening'; port: number } | ServerStats;

export interface ServerProcess {
  variant: Variant;
  url: string;
  pid: number;
  /** CPU, memory and log counts; gc: collect garbage first (for memory figures). */
  stats(gc?: boolean): Promise<ServerStats>;
  stop(): Promise<void>;
}

function next<T extends FromServer['type']>(child: ChildProcess, type: T): Promise<Extract<FromServer, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromServer) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<FromServer, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the ${type} answer never came: the server exited with ${code}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export interface StartOptions {
  env: Record<string, string>;
  responses: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** The standalone variant only. */
  seed?: StandaloneSeed;
}

export async function startServer(variant: Variant, options: StartOptions): Promise<ServerProcess> {
  const file = variant === 'standalone' ? STANDALONE_SERVER : variant === 'apps-move' ? APPS_MOVE_SERVER : SERVER;
  const child = fork(file, [variant], {
    execArgv: ['--expose-gc', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listening = next(child, 'listening');
  child.send({ type: 'start', responses: options.responses, ...(options.seed && { seed: options.seed }) } satisfies ToServer);
  const { port } = await listening;
  return {
    variant,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stats: async (gc = false) => {
      const answer = next(child, 'stats');
      child.send({ type: 'stats', gc } satisfies ToServer);
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'stop' } satisfies ToServer);
      }),
  };
}
