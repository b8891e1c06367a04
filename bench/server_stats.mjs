// @ts-check
/**
 * What a bench server process (bench/server.mjs, bench/standalone_server.mjs)
 * reports over IPC: its CPU time so far, its memory, and the log lines its
 * logger wrote (to nowhere: countLine is the logger's write).
 */
const log = { lines: 0, bytes: 0 };

/** @param {string} line */
export function countLine(line) {
  log.lines += 1;
  log.bytes += line.length;
}

/** @param {boolean} collect collect garbage first (for memory figures) */
export function stats(collect) {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  if (collect) for (let i = 0; i < 3; i += 1) gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { type: 'stats', cpuUs: cpu.user + cpu.system, rss: m.rss, heapUsed: m.heapUsed, external: m.external, logLines: log.lines, logBytes: log.bytes };
}
