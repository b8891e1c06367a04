/**
 * The round-robin proxy in a process of its own (for load runs, where a proxy
 * sharing the load generator's event loop would measure the generator):
 * `node --import tsx proxy_process.ts <port>...` answers {port} over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RoundRobinProxy } from './round_robin_proxy.js';

const SELF = fileURLToPath(import.meta.url);

export interface ProxyProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startProxyProcess(ports: readonly number[]): Promise<ProxyProcess> {
  const child = fork(SELF, ports.map(String), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the proxy exited (${code}) before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] === SELF && process.send) {
  const proxy = new RoundRobinProxy(process.argv.slice(2).map(Number));
  await proxy.start();
  process.send({ port: Number(new URL(proxy.url).port) });
  process.on('disconnect', () => process.exit(0));
}
