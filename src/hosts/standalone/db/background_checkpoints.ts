/**
 * SQLite's WAL checkpoints on a thread of their own. By default the connection
 * that commits a write past 1,000 WAL pages copies those pages back into the
 * database file there and then, on the event loop, in the middle of whichever
 * command committed it: that command (and every one queued behind it) waits
 * for the copy. The service's connection turns its automatic checkpoints off
 * and a worker thread with a connection of its own runs a PASSIVE checkpoint
 * (it never waits for a reader or a writer) every interval. If the worker
 * cannot start or stops, the service's connection takes its automatic
 * checkpoints back, so the WAL never grows without end.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { Logger } from '../../../log/logger.js';

/** SQLite's own default, restored when the worker is gone. */
const AUTOMATIC_PAGES = 1000;
export const CHECKPOINT_INTERVAL_MS = 1000;

// CommonJS evaluated in the worker: no file to resolve, the same in development (tsx) and in the built service.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

export interface BackgroundCheckpoints {
  /** Ends the worker (its connection closed) and gives the service's connection its automatic checkpoints back. */
  stop(): Promise<void>;
}

export interface CheckpointOptions {
  logger?: Pick<Logger, 'warn'>;
  intervalMs?: number;
  /** The better-sqlite3 module the worker loads (the service's own by default). */
  module?: string;
}

export function startBackgroundCheckpoints(sqlite: SQLite.Database, file: string, options: CheckpointOptions = {}): BackgroundCheckpoints {
  const module = options.module ?? createRequire(import.meta.url).resolve('better-sqlite3');
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const takeBack = () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOMATIC_PAGES}`);
  };
  const worker = new Worker(WORKER, { eval: true, workerData: { file, module, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS } });
  worker.unref();
  worker.on('error', (error) => {
    takeBack();
    options.logger?.warn('the SQLite checkpoint thread failed; checkpoints are taken on commit again', { error: error.message });
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => {
    if (!stopping) takeBack();
  });
  return {
    async stop() {
      stopping = true;
      takeBack();
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
