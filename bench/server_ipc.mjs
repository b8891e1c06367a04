// @ts-check
/**
 * The IPC side shared by the bench server processes (bench/server.mjs,
 * bench/standalone_server.mjs), which bench/servers.ts forks:
 * {type:'start', ...} -> {type:'listening', port}; {type:'stats', gc} ->
 * {type:'stats', cpuUs, rss, heapUsed, external, logLines, logBytes};
 * {type:'stop'} -> closes and exits. Log lines are counted (countLine is the
 * logger's write) and go nowhere.
 */
import { createServer } from 'node:http';

const log = { lines: 0, bytes: 0 };

/** @param {string} line */
export function countLine(line) {
  log.lines += 1;
  log.bytes += line.length;
}

/** @param {boolean} collect collect garbage first (for memory figures) */
function stats(collect) {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  if (collect) for (let i = 0; i < 3; i += 1) gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { type: 'stats', cpuUs: cpu.user + cpu.system, rss: m.rss, heapUsed: m.heapUsed, external: m.external, logLines: log.lines, logBytes: log.bytes };
}

/**
 * @param {(message: any) => Promise<import('node:http').RequestListener>} start builds the listener from the 'start' message
 * @param {() => Promise<void>} [stop] releases what start opened (a database)
 */
export function serveOverIpc(start, stop = async () => {}) {
  /** @type {import('node:http').Server | undefined} */
  let server;
  const send = (/** @type {object} */ message) => process.send?.(message);
  process.on('message', async (/** @type {any} */ message) => {
    if (message.type === 'start') {
      const s = createServer(await start(message));
      server = s;
      s.listen(0, '127.0.0.1', () => send({ type: 'listening', port: /** @type {import('node:net').AddressInfo} */ (s.address()).port }));
    } else if (message.type === 'stats') {
      send(stats(message.gc));
    } else {
      server?.closeAllConnections();
      server?.close();
      await stop();
      process.exit(0);
    }
  });
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
}
