/**
 * Outbound round trips per operation, counted where they land: at the fake
 * Apps plugin (state.appRequests: every request the App makes to Mattermost)
 * and at the real OpenID provider (oidc-provider's counters). Used by `npm run
 * bench` (report) and test/integration/round_trips.test.ts (assertions).
 *
 * The report index (src/store/report_index.ts) is written after complete has
 * been decided, off the critical path: its bot KV calls (prefix "r") are
 * counted apart, as `background`, after waiting for them to finish.
 */
import assert from 'node:assert/strict';
import { CALL_EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import { CallPath } from '../../src/hosts/apps/protocol/paths.js';
import { startApp, type RunningApp } from './app_server.js';
import { startOidcProvider, type ProviderCounters, type StartedOidcProvider } from './oidc_provider.js';
import { providerRedirects } from './redirects.js';
import type { AppRequest } from './fake_plugin/state.js';
import { FakeBackend } from '../scenarios/backends/fake.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { testProviderValues } from '../scenarios/host_steps.js';

const APPS_API = '/plugins/com.mattermost.apps/api/v1';
const PROVIDER = 'idp';
/** Access tokens live 10 minutes here, so a refresh is due within the 1-hour discovery cache. */
const TOKEN_TTL_S = 600;

export interface OperationCount {
  /** Apps plugin storage calls on the critical path: kv and oauth2/user. */
  storage: number;
  reads: number;
  writes: number;
  /** Mattermost REST calls on the critical path (/api/v4: DM channel, post). */
  mattermost: number;
  /** Report index writes after the answer (bot kv, prefix "r"). */
  background: number;
  /** Every request the App made, as "METHOD path" (ids shortened). */
  calls: string[];
  provider: Partial<ProviderCounters>;
}

export const OPERATIONS = [
  'bindings',
  /** A user's first connect: the DM channel is created once and cached in the summary. */
  'connect (first)',
  /** The first complete of the process: the provider's JWKS is fetched once and cached. */
  'complete (first)',
  'connect (again)',
  'complete (again)',
  'use a valid token',
  'refresh',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export type RoundTrips = Record<Operation, OperationCount>;

const isBackground = (r: AppRequest) => r.isBot && r.path.startsWith(`${APPS_API}/kv/r/`);
const shortPath = (r: AppRequest) => `${r.method} ${r.path.replace(APPS_API, '').replace(/\/kv\/(\w+)\/.*/, '/kv/$1/…')}`;

function count(requests: AppRequest[], provider: ProviderCounters): OperationCount {
  const fore = requests.filter((r) => !isBackground(r));
  const storage = fore.filter((r) => r.path.startsWith(APPS_API));
  const nonZero = Object.fromEntries(Object.entries(provider).filter(([, v]) => v > 0)) as Partial<ProviderCounters>;
  return {
    storage: storage.length,
    reads: storage.filter((r) => r.method === 'GET').length,
    writes: storage.filter((r) => r.method !== 'GET').length,
    mattermost: fore.filter((r) => r.path.startsWith('/api/v4/')).length,
    background: requests.length - fore.length,
    calls: requests.map((r) => (isBackground(r) ? `${shortPath(r)} (background)` : shortPath(r))),
    provider: nonZero,
  };
}

interface Harness {
  backend: FakeBackend;
  app: RunningApp;
  provider: StartedOidcProvider;
  clock: { offsetMs: number };
  completeUrl: string;
}

/** Runs `work` and counts what the App sent while it ran, background writes included (awaited). */
async function measure(h: Harness, work: () => Promise<void>): Promise<OperationCount> {
  await h.app.deps.reportIndex.flush();
  const requests = h.backend.fake.state.appRequests;
  const from = requests.length;
  h.provider.resetCounters();
  await work();
  await h.app.deps.reportIndex.flush();
  return count(requests.slice(from), { ...h.provider.counters });
}

const cookie = (user: ScenarioUser) => `MMAUTHTOKEN=${user.token}; MMUSERID=${user.id}`;

/** The /oauth2 connect command, then the browser opening connect_url: the provider's authorize URL. */
async function connect(h: Harness, user: ScenarioUser): Promise<string> {
  // The submit of the connect command's form (a connected user is offered disconnect instead, so not through bindings).
  const answer = await h.backend.call(user, {
    path: CallPath.connect,
    expand: { ...CALL_EXPAND },
    values: { provider: { label: 'Test IdP', value: PROVIDER } },
  });
  assert.equal(answer.type, 'ok', textOf(answer));
  const connectUrl = (answer as { data?: { connect_url?: string } }).data?.connect_url;
  assert.ok(connectUrl, 'the connect answer carries connect_url');
  const res = await fetch(connectUrl, { headers: { cookie: cookie(user) }, redirect: 'manual' });
  const location = res.headers.get('location');
  assert.ok(location, `connect_url redirects to the provider (HTTP ${res.status}: ${await res.text()})`);
  return location;
}

async function complete(h: Harness, user: ScenarioUser, completeUrl: string): Promise<void> {
  const res = await fetch(completeUrl, { headers: { cookie: cookie(user) }, redirect: 'manual' });
  const text = await res.text();
  assert.match(text, /Completed connecting your account/, `complete failed: HTTP ${res.status} ${text.slice(0, 200)}`);
}

/** Connect and complete for `user`, each counted; the provider's login and consent pages are not the App's. */
async function connectAndComplete(h: Harness, user: ScenarioUser): Promise<[OperationCount, OperationCount]> {
  let authorizeUrl = '';
  const connected = await measure(h, async () => {
    authorizeUrl = await connect(h, user);
  });
  const params = await h.provider.authorize(authorizeUrl, { login: `${user.username}-at-idp` });
  const completeUrl = `${h.completeUrl}?${new URLSearchParams(params)}`;
  const completed = await measure(h, () => complete(h, user, completeUrl));
  return [connected, completed];
}

async function whoami(h: Harness, user: ScenarioUser): Promise<void> {
  const answer = await runCommand(h.backend, user, ['whoami'], { provider: PROVIDER });
  assert.match(textOf(answer), new RegExp(`you are \\*\\*${user.username}-at-idp\\*\\*`), textOf(answer));
}

async function start(): Promise<Harness> {
  const backend = await FakeBackend.start();
  const clock = { offsetMs: 0 };
  const app = await startApp({}, { now: () => Date.now() + clock.offsetMs });
  await backend.installApp(`${app.url}/manifest.json`, app.config.jwtSecret!);
  const completeUrl = `${backend.siteUrl}${APPS_API.replace('/api/v1', '')}/apps/oauth2-connect/oauth2/remote/complete`;
  const provider = await startOidcProvider({ redirectUris: providerRedirects(completeUrl), accessTokenTtlSeconds: TOKEN_TTL_S });
  const added = await runCommand(backend, backend.admin, ['provider', 'add'], testProviderValues(provider, PROVIDER));
  assert.equal(added.type, 'ok', textOf(added));
  return { backend, app, provider, clock, completeUrl };
}

export async function measureRoundTrips(): Promise<RoundTrips> {
  const h = await start();
  try {
    const alice = await h.backend.createUser('alice');
    const bindings = await measure(h, async () => {
      assert.ok((await h.backend.bindings(alice)).length > 0);
    });
    const [connectFirst, completeFirst] = await connectAndComplete(h, alice);
    const [connectAgain, completeAgain] = await connectAndComplete(h, alice);
    const use = await measure(h, () => whoami(h, alice));
    h.clock.offsetMs = (TOKEN_TTL_S + 60) * 1000; // past the token's expiry: the next use refreshes it
    const refresh = await measure(h, () => whoami(h, alice));
    return {
      bindings,
      'connect (first)': connectFirst,
      'complete (first)': completeFirst,
      'connect (again)': connectAgain,
      'complete (again)': completeAgain,
      'use a valid token': use,
      refresh,
    };
  } finally {
    await h.app.close();
    await h.provider.close();
    await h.backend.close();
  }
}
