// @ts-check
/**
 * The standalone host as `npm start` runs it (dist/service.js startService,
 * APP_HOSTS=standalone), in its own plain node process for the command-path
 * bench (bench/standalone.ts forks it through bench/servers.ts): the command
 * token check, the signed trigger check (ECDSA P-256 under the key it read from
 * the bench's client-configuration listener, and the single-use record written
 * to the one_time table), the SQL reads (SQLite file or PostgreSQL) and the
 * answer. The logger does all its work; only the write goes nowhere. On start it seeds
 * what setup and a connect would have stored: the team's command token hash,
 * one provider, the user's connection with sealed tokens, and (for the token API
 * rows) a token API client with the user's grant.
 * Env: BENCH_ENCRYPTION_KEY, and BENCH_DATABASE_URL (PostgreSQL) or
 * BENCH_DATA_DIR (SQLite). IPC: bench/server_ipc.mjs, with the seed (and the
 * Mattermost URL and trigger window) in 'start'.
 */
import { countLine, serveOverIpc } from './server_ipc.mjs';

/** @param {import('./servers.js').StandaloneSeed} seed */
async function standaloneListener(seed) {
  const { loadConfig } = await import('../dist/config/index.js');
  const { createLogger } = await import('../dist/log/logger.js');
  const { startService } = await import('../dist/service.js');
  const { hashCommandToken } = await import('../dist/hosts/standalone/commands/command_token.js');
  const key = process.env.BENCH_ENCRYPTION_KEY;
  if (!key) throw new Error('BENCH_ENCRYPTION_KEY is needed');
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    APP_ROOT_URL: 'http://127.0.0.1:4000',
    APP_HOSTS: 'standalone',
    // Serves only the client configuration (the signing key): status makes no other Mattermost call,
    // and the team sync, with no installation stored, has nothing to do.
    APP_MATTERMOST_URL: seed.mattermostUrl,
    APP_TRIGGER_WINDOW_MS: String(seed.triggerWindowMs),
    APP_ENCRYPTION_KEY: key,
    APP_LOG_LEVEL: 'info',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : { APP_DATA_DIR: process.env.BENCH_DATA_DIR ?? '' }),
  });
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.encryptionKeys.map((/** @type {{key: Buffer}} */ k) => k.key.toString('base64')),
    write: countLine,
  });
  const service = await startService(config, { logger });
  const repos = service.standalone?.repositories;
  if (!repos) throw new Error('the standalone host did not start');
  const now = Date.now();
  await repos.installation.saveCommand({ team_id: seed.teamId, command_id: 'bench-command', token_hash: hashCommandToken(seed.commandToken), updated_at: now });
  await repos.providers.save({
    id: 'github',
    display_name: 'GitHub',
    preset: 'github',
    client_id: 'bench-client',
    auth: 'client_secret_basic',
    scopes: ['read:user'],
    created_at: now,
    updated_at: now,
  });
  await repos.connections.save({
    user_id: seed.userId,
    provider_id: 'github',
    connection: { label: 'jane-doe', sub: '583231', since: now, expires_at: now + 8 * 3600_000 },
    tokens: { access_token: 'gho_bench_access', refresh_token: 'ghr_bench_refresh', token_type: 'bearer', expires_at: now + 8 * 3600_000, obtained_at: now },
    origin: 'https://github.com',
  });
  // The token API's client (bench/token_api.ts) and the user's grant to it.
  if (seed.tokenCredentialHash) {
    await repos.tokenClients.create(
      {
        id: 'bench-bot',
        name: 'Bench bot',
        providers: ['github'],
        scopes: ['read:user'],
        sources: [],
        // Far above what the dialog allows: the bench measures issuance, not the limiter's refusals.
        rate_per_minute: 100_000_000,
        created_by: seed.userId,
        created_at: now,
        credential_at: now,
      },
      seed.tokenCredentialHash,
    );
    await repos.tokenClients.grant({ user_id: seed.userId, client_id: 'bench-bot', provider_id: 'github', scopes: ['read:user'], granted_at: now });
  }
  return service;
}

/** @type {{ listener: import("node:http").RequestListener; close(): Promise<void> } | undefined} */
let service;
serveOverIpc(
  async (message) => {
    service = /** @type {any} */ (await standaloneListener(message.seed));
    return /** @type {any} */ (service).listener;
  },
  async () => service?.close(),
);
