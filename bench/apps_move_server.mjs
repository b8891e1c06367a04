// @ts-check
/**
 * The service with both hosts (dist/service.js startService,
 * APP_HOSTS=apps,standalone) on a scratch SQLite directory, as it runs while
 * users are copied to the standalone host, in its own plain node process for
 * bench/bindings_move_ab.ts (forked through bench/servers.ts).
 * BENCH_APPS_MOVE: `off` (user copying never turned on) or `copied` (on, and
 * the bench's user copied already): the two states a bindings call meets
 * almost always, for the user BENCH_USER_ID. The Apps plugin's calls go to
 * its `app`, as in bench/server.mjs.
 */
import { countLine, serveOverIpc } from './server_ipc.mjs';

async function bothHosts() {
  const { loadConfig } = await import('../dist/config/index.js');
  const { createLogger } = await import('../dist/log/logger.js');
  const { startService } = await import('../dist/service.js');
  const secret = process.env.BENCH_JWT_SECRET;
  const key = process.env.BENCH_ENCRYPTION_KEY;
  const state = process.env.BENCH_APPS_MOVE;
  const userId = process.env.BENCH_USER_ID;
  if (!secret || !key || !userId || !process.env.BENCH_DATA_DIR)
    throw new Error('BENCH_JWT_SECRET, BENCH_ENCRYPTION_KEY, BENCH_USER_ID and BENCH_DATA_DIR are needed');
  if (state !== 'off' && state !== 'copied') throw new Error('BENCH_APPS_MOVE is off or copied');
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    APP_ROOT_URL: 'http://127.0.0.1:4000',
    APP_HOSTS: 'apps,standalone',
    APP_JWT_SECRET: secret,
    APP_ENCRYPTION_KEY: key,
    APP_LOG_LEVEL: 'info',
    APP_ALLOW_PRIVATE_NETWORK: 'true',
    APP_DATA_DIR: process.env.BENCH_DATA_DIR,
  });
  const logger = createLogger({
    level: config.logLevel,
    secrets: [secret, ...config.encryptionKeys.map((/** @type {{key: Buffer}} */ k) => k.key.toString('base64'))],
    write: countLine,
  });
  const service = await startService(config, { logger });
  const ledger = service.standalone?.repositories.appsImport;
  if (!ledger || !service.deps.userCopies) throw new Error('both hosts did not start');
  if (state === 'copied') {
    await ledger.enableUsers(Date.now());
    await ledger.copied(userId, [], Date.now());
  }
  return service;
}

/** @type {{ app: import("express").Express; close(): Promise<void> } | undefined} */
let service;
serveOverIpc(
  async () => {
    service = /** @type {any} */ (await bothHosts());
    return /** @type {any} */ (service).app;
  },
  async () => service?.close(),
);
