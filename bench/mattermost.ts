/**
 * `BENCH_ONLY=mattermost npm run bench`: what OAuth2 Connect adds to what a
 * user waits for, through a real Mattermost server. It starts the E2E
 * harness's Mattermost for the standalone host (no Apps plugin; the server
 * binary cached by test/e2e/harness/build.ts), the real standalone service in
 * this process (set up with runSetup, as the scenario hosts do: bot, Sign in
 * with Mattermost, /oauth2 in the team), the test OpenID provider, and the
 * no-op custom commands in the same team served by bare express. alice is
 * connected at the provider, which runs in a process of its own as a remote
 * one would (bench/oidc_provider_process.ts): her tokens are ones it issued,
 * stored as a connect stores them, so whoami reaches its real userinfo. Then
 * status, help and whoami go through POST /api/v4/commands/execute, each
 * right after the two no-ops (bench/mattermost_rounds.ts, which holds the
 * budget), on each storage of BENCH_STORAGE (default sqlite,postgres). Not
 * part of npm test.
 */
import { loadavg } from 'node:os';
import { request } from 'undici';
import type { StoredProvider } from '../src/core/provider_records.js';
import { clientSecretSlot } from '../src/core/seal_slots.js';
import { ensureBuilt } from '../test/e2e/harness/build.js';
import { startStandaloneService, type StandaloneService } from '../test/e2e/harness/standalone_service.js';
import { startStandaloneWorld, type StandaloneWorld } from '../test/e2e/harness/standalone_world.js';
import type { BackendName } from '../test/support/standalone_db.js';
import { mattermostTable, measureCommands, type BenchCommand } from './mattermost_rounds.js';
import { startNoopCommands } from './noop_command.js';
import { startProviderProcess, type ProviderProcess } from './oidc_provider_process.js';

export interface MattermostBenchOptions {
  /** Measured pairs (no-op, then the command) per command. */
  pairs: number;
  warmupPairs: number;
  storages: BackendName[];
}

const OAUTH2: BenchCommand[] = [
  { name: 'status', command: '/oauth2 status', expect: /\(`test-oidc`\): connected as \*\*/ },
  { name: 'help', command: '/oauth2 help', expect: /#### OAuth2 Connect/ },
  { name: 'whoami', command: '/oauth2 whoami', expect: /At Test OIDC you are \*\*/ },
];

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

/** The provider as `/oauth2 provider add` stores it (its secret sealed by the service), and alice's connection with tokens it issued. */
async function connectAlice(service: StandaloneService, provider: ProviderProcess): Promise<string> {
  const standalone = service.service.standalone!;
  const { config, row } = provider;
  const now = Date.now();
  const { id, display_name, preset, issuer, client_id, scopes } = config;
  const stored: StoredProvider = {
    ...{ id, display_name, preset, issuer, client_id, scopes, auth: 'client_secret_post', created_at: now, updated_at: now },
    sealed_secret: standalone.deps!.sealer.seal(config.client_secret ?? '', clientSecretSlot(config)),
  };
  await standalone.repositories.providers.save(stored);
  await standalone.repositories.connections.save(row);
  return row.tokens.access_token;
}

async function benchStorage(
  world: StandaloneWorld,
  provider: ProviderProcess,
  storage: BackendName,
  options: MattermostBenchOptions,
  say: (line?: string) => void,
) {
  const team = world.teams[0]!;
  const channel = await world.admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`);
  const execute = async (command: string) =>
    (await world.alice.client.json<{ text?: string } | undefined>('POST', '/api/v4/commands/execute', { command, channel_id: channel.id, team_id: team.id }))
      ?.text ?? '';
  const service = await startStandaloneService(world, storage);
  const noop = await startNoopCommands(world.admin.client, team.id);
  try {
    const accessToken = await connectAlice(service, provider);
    say(`  ${storage}: measuring (load average ${load()})...`);
    // undici's request, not fetch (about half a millisecond more per request here): the provider's own time is not overstated.
    const userinfo = async () => {
      const res = await request(`${provider.config.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`userinfo answered HTTP ${res.statusCode}`);
    };
    const commands = OAUTH2.map((c) => (c.name === 'whoami' ? { ...c, providerCall: userinfo } : c));
    const textNoop = { trigger: noop.text, answerWith: noop.answerWith };
    const timings = await measureCommands({ execute, noop: noop.noop, textNoop, commands, ...options });
    say();
    mattermostTable(`/oauth2 through Mattermost, service on ${storage}, ${options.pairs} pairs per command (load average now ${load()})`, timings, say);
  } finally {
    await noop.close();
    await service.close();
  }
}

export async function mattermostBench(options: MattermostBenchOptions, say: (line?: string) => void): Promise<void> {
  say(`Mattermost bench: starting the server (load average ${load()})...`);
  const world = await startStandaloneWorld(await ensureBuilt(), ['bench']);
  const provider = await startProviderProcess(world.alice.user.id);
  try {
    for (const storage of options.storages) await benchStorage(world, provider, storage, options, say);
  } finally {
    await provider.close();
    await world.stop();
  }
}
