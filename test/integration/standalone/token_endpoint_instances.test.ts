/**
 * The token endpoint as the service serves it: ahead of express for a plain
 * UTF-8 body, with the client, the grant and the user's row read in one
 * statement, and each opened token set kept by its sealed text and row. It
 * answers every request as express's route does; on PostgreSQL two instances
 * share the database as replicas do, and a credential rotated, a client
 * removed or a grant revoked through one is refused by the other at its next
 * request. A sealed token copied into another user's row is refused there
 * even after it was served to its own user; a stored token served again and
 * again is opened once, and so is its provider's client secret.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config/index.js';
import { toProviderConfig } from '../../../src/core/provider_records.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { BACKENDS, createScratch, type Scratch } from '../../support/standalone_db.js';

const ALICE = 'a'.repeat(26);
const BOB = 'b'.repeat(26);
const ORIGIN = 'https://idp.example.com';
const HOUR = 3600_000;

const PROVIDER = { id: 'idp', display_name: 'IdP', preset: 'oidc' as const, issuer: ORIGIN, client_id: 'c', auth: 'none' as const, scopes: ['openid'] };
const CLIENT = { id: 'bot', name: 'Bot', providers: ['idp'], scopes: ['openid'], sources: [], rate_per_minute: 100_000, created_by: ALICE };

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** One raw HTTP request (node:http, so a test chooses every header, or none). */
function send(url: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/token`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pick = ['content-type', 'cache-control', 'www-authenticate', 'retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(pick.map((h) => [h, res.headers[h] as string | undefined])),
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const listen = (listener: RequestListener) =>
  new Promise<{ server: Server; url: string }>((resolve) => {
    const server = createServer(listener).listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });

for (const backend of BACKENDS) {
  describe(`the token endpoint ahead of express, in one statement [${backend}]`, () => {
    let scratch: Scratch;
    const services: RunningService[] = [];
    const servers: Server[] = [];
    /** The listener of each instance (PostgreSQL: two on one database) and express alone, of the first. */
    let one: string;
    let other: string;
    let expressOnly: string;
    let credential = newCredential();
    const key = randomBytes(32).toString('base64');

    async function start(): Promise<RunningService> {
      const env: Record<string, string> = {
        APP_HOSTS: 'standalone',
        APP_ROOT_URL: 'http://127.0.0.1:9',
        APP_MATTERMOST_URL: 'http://127.0.0.1:9',
        APP_ENCRYPTION_KEY: key,
        ...(scratch.settings.kind === 'postgres' ? { DATABASE_URL: scratch.settings.url } : { APP_DATA_DIR: dirname(scratch.settings.file) }),
      };
      const service = await startService(loadConfig(env), { logger: createMemoryLogger() });
      services.push(service);
      return service;
    }
    const repositories = () => services[0]!.standalone!.repositories;
    const bearer = (value = credential) => ({ 'content-type': 'application/json', authorization: `Bearer ${value}` });
    const target = (user = ALICE) => JSON.stringify({ user_id: user, provider: 'idp' });
    const token = async (url: string, user = ALICE, value = credential) => {
      const answer = await send(url, bearer(value), target(user));
      return { status: answer.status, ...(JSON.parse(answer.body) as { access_token?: string; error?: string }) };
    };
    const connect = (user: string, access: string) =>
      repositories().connections.save({
        user_id: user,
        provider_id: 'idp',
        connection: { label: user.slice(0, 5), sub: user, since: Date.now() },
        tokens: { access_token: access, token_type: 'bearer', expires_at: Date.now() + 8 * HOUR, obtained_at: Date.now() },
        origin: ORIGIN,
      });

    before(async () => {
      scratch = await createScratch(backend);
      const first = await start();
      const second = backend === 'postgres' ? await start() : first;
      const now = Date.now();
      await repositories().providers.save({ ...PROVIDER, created_at: now, updated_at: now });
      await repositories().tokenClients.create({ ...CLIENT, created_at: now, credential_at: now }, credentialHash(credential));
      await connect(ALICE, 'alice-access-1');
      await connect(BOB, 'bob-access-1');
      // Granted once connected: a grant is stored only while its connection exists.
      for (const user of [ALICE, BOB])
        await repositories().tokenClients.grant({ user_id: user, client_id: 'bot', provider_id: 'idp', scopes: ['openid'], granted_at: now });
      const listeners = [await listen(first.listener), await listen(second.listener), await listen(first.app)];
      servers.push(...listeners.map((l) => l.server));
      [one, other, expressOnly] = listeners.map((l) => l.url) as [string, string, string];
    });
    after(async () => {
      for (const server of servers) server.close();
      for (const service of services) await service.close();
      await scratch.dispose();
    });

    it('when the same requests reach the listener and express alone, then every answer is the same: status, body and headers', async () => {
      const json = { 'content-type': 'application/json' };
      const cases: Array<[string, Record<string, string>, (Buffer | string)?]> = [
        ['issued', bearer(), target()],
        ['no body at all', bearer()],
        ['an empty body', { ...bearer(), 'content-length': '0' }, ''],
        ['a byte-order mark, then JSON', bearer(), `\uFEFF${target()}`],
        ['white space, then JSON', bearer(), ` \n\t${target()}`],
        ['not JSON', bearer(), '{"user_id": '],
        ['JSON, not an object', bearer(), '"alice"'],
        ['an array', bearer(), '[1]'],
        ['too large', bearer(), JSON.stringify({ user_id: ALICE, provider: 'idp', scope: 'x'.repeat(5000) })],
        ['a target of the wrong shape', bearer(), JSON.stringify({ user_id: 'nobody', provider: 'idp' })],
        ['a scope over its length', bearer(), JSON.stringify({ user_id: ALICE, provider: 'idp', scope: 'x'.repeat(1001) })],
        ['an unknown credential', bearer(newCredential()), target()],
        ['an unknown credential and a bad body', bearer(newCredential()), '{"user_id": '],
        ['no credential', json, target()],
        ['Basic with another client id', { ...json, authorization: `Basic ${Buffer.from(`other:${credential}`).toString('base64')}` }, target()],
        ['Basic with its id', { ...json, authorization: `Basic ${Buffer.from(`bot:${credential}`).toString('base64')}` }, target()],
        ['a provider it may not ask for', bearer(), JSON.stringify({ user_id: ALICE, provider: 'other' })],
        ['a scope not granted', bearer(), JSON.stringify({ user_id: ALICE, provider: 'idp', scope: 'openid admin' })],
        ['a user not connected', bearer(), target('c'.repeat(26))],
        ['latin-1 (express reads it)', { ...bearer(), 'content-type': 'application/json; charset=latin1' }, target()],
        ['gzip (express reads it)', { ...bearer(), 'content-encoding': 'gzip' }, gzipSync(target())],
      ];
      for (const [name, headers, body] of cases) {
        const ahead = await send(one, headers, body);
        const behind = await send(expressOnly, headers, body);
        assert.deepEqual(ahead, behind, name);
        assert.doesNotMatch(ahead.body, /at .*\.(js|ts):\d+|SyntaxError/, `${name}: no stack trace`);
      }
      assert.equal((await send(one, bearer(), target())).status, 200, 'the issued case was issued');
    });

    it('when the stored token changes (a refresh written by an instance), then the next request on every instance serves the new one', async () => {
      assert.equal((await token(other)).access_token, 'alice-access-1');
      const fresh = { access_token: 'alice-access-2', token_type: 'bearer', expires_at: Date.now() + 8 * HOUR, obtained_at: Date.now() };
      assert.equal(await repositories().connections.saveTokens(ALICE, 'idp', fresh), true);
      assert.equal((await token(one)).access_token, 'alice-access-2');
      assert.equal((await token(other)).access_token, 'alice-access-2');
    });

    it("when alice's sealed token, already served to her, is copied into bob's row, then bob's request is refused and alice's still served", async () => {
      assert.equal((await token(other)).access_token, 'alice-access-2');
      const db = services[0]!.standalone!.database.db;
      const bobBefore = await db.selectFrom('connections').select('tokens').where('user_id', '=', BOB).executeTakeFirstOrThrow();
      await sql`update connections set tokens = (select tokens from connections where user_id = ${ALICE}) where user_id = ${BOB}`.execute(db);
      try {
        for (const url of new Set([one, other])) {
          const refused = await token(url, BOB);
          assert.deepEqual([refused.status, refused.error, refused.access_token], [409, 'reconnect_required', undefined]);
        }
        assert.equal((await token(other)).access_token, 'alice-access-2');
      } finally {
        await db.updateTable('connections').set({ tokens: bobBefore.tokens }).where('user_id', '=', BOB).execute();
      }
      assert.equal((await token(other, BOB)).access_token, 'bob-access-1');
    });

    it('when a provider with a client secret serves the same stored token again and again, then neither the token nor the secret is opened again', async () => {
      const now = Date.now();
      const sealer = services[0]!.standalone!.deps!.sealer;
      const bare = { ...PROVIDER, id: 'sec', issuer: 'https://sec.example.com', auth: 'client_secret_basic' as const, created_at: now, updated_at: now };
      const sealed_secret = sealer.seal('sec-client-secret', clientSecretSlot(toProviderConfig(bare, undefined)));
      await repositories().providers.save({ ...bare, sealed_secret });
      const secCredential = newCredential();
      await repositories().tokenClients.create(
        { ...CLIENT, id: 'sec-bot', providers: ['sec'], created_at: now, credential_at: now },
        credentialHash(secCredential),
      );
      const tokens = { access_token: 'alice-sec-access', token_type: 'bearer', expires_at: now + 8 * HOUR, obtained_at: now };
      const connection = { label: 'alice', sub: ALICE, since: now };
      await repositories().connections.save({ user_id: ALICE, provider_id: 'sec', connection, tokens, origin: 'https://sec.example.com' });
      await repositories().tokenClients.grant({ user_id: ALICE, client_id: 'sec-bot', provider_id: 'sec', scopes: ['openid'], granted_at: now });
      const open = sealer.open;
      let opened = 0;
      sealer.open = (...args) => ((opened += 1), open(...args));
      try {
        const request = () => send(one, bearer(secCredential), JSON.stringify({ user_id: ALICE, provider: 'sec' }));
        const answers = [await request(), await request(), await request(), await request()];
        assert.deepEqual(
          answers.map((a) => [a.status, (JSON.parse(a.body) as { access_token?: string }).access_token]),
          Array.from({ length: 4 }, () => [200, 'alice-sec-access']),
        );
        assert.equal(opened, 2, 'the token and the client secret, each once');
      } finally {
        sealer.open = open;
      }
    });

    it('when a grant is revoked, the credential rotated and the client removed through one instance, then the other refuses at its next request', async () => {
      assert.equal((await token(other, BOB)).status, 200);
      assert.equal(await repositories().tokenClients.revokeGrant(BOB, 'bot', 'idp'), true);
      assert.equal((await token(other, BOB)).error, 'consent_required');

      assert.equal((await token(other)).status, 200);
      const rotated = newCredential();
      assert.equal(await repositories().tokenClients.rotate('bot', credentialHash(rotated), Date.now()), true);
      const old = await token(other);
      assert.deepEqual([old.status, old.error], [401, 'invalid_client']);
      assert.equal((await token(other, ALICE, rotated)).access_token, 'alice-access-2', 'the new credential works there at once');
      credential = rotated;

      assert.equal(await repositories().tokenClients.remove('bot'), true);
      const removed = await token(other);
      assert.deepEqual([removed.status, removed.error], [401, 'invalid_client']);
    });
  });
}
