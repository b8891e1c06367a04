/**
 * The token API's per-client rate as the service enforces it. On PostgreSQL
 * two instances share the database as replicas do, and a client with a rate
 * of R gets exactly R tokens in a minute window across both, then
 * rate_limited with the seconds to the next window on both, and R again in
 * the next window; the shared count is written per chunk, not per request.
 * On SQLite (one process) the process's bucket is the limit, as it was. A
 * shared count that cannot be written fails the request as a storage error
 * does, without a stack trace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import { WINDOW_MS } from '../../../src/hosts/standalone/token_api/shared_rate_limit.js';
import { BACKENDS } from '../../support/standalone_db.js';
import { startListeningService, type ListeningService } from '../../support/standalone_service.js';

const ALICE = 'a'.repeat(26);
const ORIGIN = 'https://idp.example.com';
const HOUR = 3600_000;
const RATE = 30;

const PROVIDER = { id: 'idp', display_name: 'IdP', preset: 'oidc' as const, issuer: ORIGIN, client_id: 'c', auth: 'none' as const, scopes: ['openid'] };
const CLIENT = { id: 'bot', name: 'Bot', providers: ['idp'], scopes: ['openid'], sources: [], rate_per_minute: RATE, created_by: ALICE };

interface Answer {
  status: number;
  error?: string;
  retryAfter: number | undefined;
  body: string;
}

for (const backend of BACKENDS) {
  describe(`the token API's per-client rate [${backend}]`, () => {
    /** Two instances on one database on PostgreSQL (the second a replica of the first), one on SQLite. */
    const services: ListeningService[] = [];
    let urls: string[] = [];
    const credential = newCredential();
    /** The instances' clock, still unless a test moves it: a second into a window, then on by whole windows. */
    let clock = Date.now();
    const now = () => clock;

    const start = async (replicaOf?: ListeningService) => {
      const started = await startListeningService({ storage: backend, mattermostUrl: () => 'http://127.0.0.1:9', now, ...(replicaOf && { replicaOf }) });
      services.push(started);
      return started;
    };
    const standalone = () => services[0]!.service.standalone!;
    const repositories = () => standalone().repositories;
    const token = async (url: string): Promise<Answer> => {
      const res = await fetch(`${url}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: JSON.stringify({ user_id: ALICE, provider: 'idp' }),
      });
      const body = await res.text();
      const retryAfter = res.headers.get('retry-after');
      return {
        status: res.status,
        error: (JSON.parse(body) as { error?: string }).error,
        retryAfter: retryAfter === null ? undefined : Number(retryAfter),
        body,
      };
    };
    /** `count` requests, each to the next instance in turn. */
    const inTurn = async (count: number) => {
      const answers: Answer[] = [];
      for (let i = 0; i < count; i += 1) answers.push(await token(urls[i % urls.length]!));
      return answers;
    };
    /** Moves the clock to a second into the next window. */
    const nextWindow = () => {
      clock = (Math.floor(clock / WINDOW_MS) + 1) * WINDOW_MS + 1000;
    };

    before(async () => {
      const first = await start();
      if (backend === 'postgres') await start(first);
      const at = Date.now();
      await repositories().providers.save({ ...PROVIDER, created_at: at, updated_at: at });
      await repositories().tokenClients.create({ ...CLIENT, created_at: at, credential_at: at }, credentialHash(credential));
      await repositories().connections.save({
        user_id: ALICE,
        provider_id: 'idp',
        connection: { label: 'alice', sub: ALICE, since: at },
        tokens: { access_token: 'alice-access', token_type: 'bearer', expires_at: at + 8 * HOUR, obtained_at: at },
        origin: ORIGIN,
      });
      // Granted once connected: a grant is stored only while its connection exists.
      await repositories().tokenClients.grant({ user_id: ALICE, client_id: 'bot', provider_id: 'idp', scopes: ['openid'], granted_at: at });
      urls = services.map((s) => s.root);
    });
    after(async () => {
      // The replica first: the first instance drops the database.
      for (const service of services.reverse()) await service.close();
    });

    if (backend === 'postgres') {
      it('when two instances serve a client in turn, then it gets exactly its rate in the window, then rate_limited on both until the next window', async () => {
        nextWindow();
        const windowStart = Math.floor(now() / WINDOW_MS) * WINDOW_MS;
        for (let round = 0; round < 2; round += 1) {
          const answers = await inTurn(RATE + 10);
          assert.equal(answers.filter((a) => a.status === 200).length, RATE, `round ${round}: the rate across both instances`);
          assert.ok(answers.slice(RATE).some((a) => a.status === 429));
          for (const url of urls) {
            const refused = await token(url);
            assert.deepEqual([refused.status, refused.error], [429, 'rate_limited']);
            assert.equal(refused.retryAfter, 59, 'the seconds to the next window');
            assert.doesNotMatch(refused.body, /at .*\.(js|ts):\d+/);
          }
          nextWindow();
        }
        const rows = await standalone().database.db.selectFrom('client_rate_windows').select(['window_start', 'used']).where('client_id', '=', 'bot').execute();
        const used = new Map(rows.map((r) => [Number(r.window_start), r.used]));
        assert.deepEqual([used.get(windowStart), used.get(windowStart + WINDOW_MS)], [RATE, RATE], 'each window counted to the rate, never past it');
      });

      it('when the shared count cannot be written, then the request fails as a storage error does, and the next one is served once it can', async () => {
        nextWindow();
        const store = repositories().rateWindows;
        const claim = store.claim.bind(store);
        store.claim = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        try {
          const failed = await token(urls[0]!);
          assert.deepEqual([failed.status, failed.error], [500, 'server_error']);
          assert.doesNotMatch(failed.body, /ECONNREFUSED|at .*\.(js|ts):\d+/);
        } finally {
          store.claim = claim;
        }
        assert.equal((await token(urls[0]!)).status, 200);
      });

      it('when the pruning pass runs, then windows that ended are removed and the current one stays', async () => {
        const removed = await repositories().rateWindows.prune(now() - 2 * WINDOW_MS);
        assert.ok(removed >= 1);
        const left = await standalone().database.db.selectFrom('client_rate_windows').select('window_start').execute();
        assert.deepEqual(
          left.map((r) => Number(r.window_start)),
          [Math.floor(now() / WINDOW_MS) * WINDOW_MS],
        );
      });
    } else {
      it('when one process serves a client, then its bucket is the limit: the rate at once, then one request per refill, and no shared count', async () => {
        nextWindow();
        const answers = await inTurn(RATE + 5);
        assert.equal(answers.filter((a) => a.status === 200).length, RATE);
        const refused = answers.at(-1)!;
        assert.deepEqual([refused.status, refused.error, refused.retryAfter], [429, 'rate_limited', 60 / RATE]);
        clock += (60 / RATE) * 1000;
        assert.equal((await token(urls[0]!)).status, 200, 'one request refilled, in the same window');
        assert.equal((await token(urls[0]!)).status, 429);
        const rows = await standalone().database.db.selectFrom('client_rate_windows').selectAll().execute();
        assert.deepEqual(rows, []);
      });
    }
  });
}
