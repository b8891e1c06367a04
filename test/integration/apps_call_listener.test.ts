/**
 * The Apps calls answered ahead of express give what the express app gives:
 * for each request below, the same status, content type, length and body
 * from both, and the same log lines (but the call's duration). Requests the
 * listener does not serve itself (another path or method, a query, a
 * compressed or non-UTF-8 body) are handed to the app, so they match too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { loadConfig } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { createDeps } from '../../src/service.js';
import { appsHttp } from '../../src/hosts/apps/http/app.js';
import type { Handler } from '../../src/hosts/apps/calls/deps.js';
import { routes } from '../../src/hosts/apps/calls/routes.js';

const SECRET = randomBytes(32).toString('base64url');
const USER = 'u7k3mfq9zbdn8xw1ceyr4tjahs';
const SITE = 'https://mm.example.com';
const BODY_LIMIT = 4096;

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: string;
  logs: string[];
}

const jwt = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(Buffer.from(SECRET));
const context = (userId = USER, roles = 'system_user') => ({
  mattermost_site_url: SITE,
  app_path: '/plugins/com.mattermost.apps/apps/oauth2-connect',
  bot_user_id: 'b'.repeat(26),
  acting_user: { id: userId, username: 'jane', roles },
  oauth2: { data: { v: 1, providers: [] } },
});
const call = (path: string, extra: Record<string, unknown> = {}) => JSON.stringify({ path, context: context(), ...extra });

describe('Apps calls served ahead of express', () => {
  const logger = createMemoryLogger({ secrets: [SECRET] });
  const servers: Server[] = [];
  let viaApp: string;
  let viaListener: string;
  let signed: string;
  let handedOver = 0;

  const serve = async (listener: RequestListener) => {
    const server = createServer(listener);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  before(async () => {
    const config = loadConfig({
      APP_JWT_SECRET: SECRET,
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      APP_LOG_LEVEL: 'debug',
      APP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
    const failing: Handler = async () => {
      throw new Error('handler failed');
    };
    // Every call path, and one more whose handler throws, to compare the mapped error.
    const service = appsHttp(createDeps(config, { logger }), new Map([...routes, ['/test/failing', failing]]));
    viaApp = await serve(service.app);
    // The listener's hand-over to the app, counted: the requests it serves itself never reach it.
    viaListener = await serve(
      service.servedAhead((req, res) => {
        handedOver += 1;
        service.app(req, res);
      }),
    );
    signed = `Bearer ${await jwt({ acting_user_id: USER })}`;
  });
  after(() => {
    for (const server of servers) server.close();
  });

  /** node's http client, so a body can be sent exactly (any content type, encoding or length). */
  function send(base: string, sent: Sent): Promise<Answer> {
    const before = logger.lines.length;
    return new Promise((resolve, reject) => {
      const req = request(`${base}${sent.path}`, { method: sent.method ?? 'POST', headers: sent.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          // The log line is written right after the answer: wait for it before reading.
          setImmediate(() =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'],
              contentLength: res.headers['content-length'],
              // An internal error's reference is random: the same shape is compared.
              body: Buffer.concat(chunks)
                .toString()
                .replace(/reference [0-9a-f]{8}/, 'reference R'),
              logs: logger.lines.slice(before).map((line) =>
                line
                  .replace(/"duration_ms":[\d.]+/, '"duration_ms":0')
                  .replace(/"time":"[^"]+",?/, '')
                  .replace(/"ref":"[0-9a-f]{8}"/, '"ref":"R"'),
              ),
            }),
          ),
        );
      });
      req.on('error', reject);
      req.end(sent.body);
    });
  }

  const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'mattermost-app-authorization': signed, ...extra });
  const REQUESTS: Array<[string, () => Sent]> = [
    ['the bindings call', () => ({ path: '/bindings', headers: json(), body: call('/bindings') })],
    [
      "a system admin's bindings call",
      () => ({ path: '/bindings', headers: json(), body: JSON.stringify({ path: '/bindings', context: context(USER, 'system_user system_admin') }) }),
    ],
    ['a command call', () => ({ path: '/help', headers: json(), body: call('/help') })],
    ['a ping with an empty body', () => ({ path: '/ping', headers: json(), body: '' })],
    ['no JWT', () => ({ path: '/bindings', headers: { 'content-type': 'application/json' }, body: call('/bindings') })],
    [
      'a JWT signed with another secret',
      () => ({ path: '/bindings', headers: json({ 'mattermost-app-authorization': 'Bearer e30.e30.AAAA' }), body: call('/bindings') }),
    ],
    [
      'a body naming another acting user',
      () => ({ path: '/bindings', headers: json(), body: JSON.stringify({ path: '/bindings', context: context('o'.repeat(26)) }) }),
    ],
    ['a body that is not JSON', () => ({ path: '/bindings', headers: json(), body: '{"context":' })],
    ['a JSON array', () => ({ path: '/bindings', headers: json(), body: '[1,2]' })],
    ['JSON null', () => ({ path: '/bindings', headers: json(), body: 'null' })],
    ['a body over the limit, declared', () => ({ path: '/bindings', headers: json(), body: call('/bindings', { pad: 'x'.repeat(BODY_LIMIT) }) })],
    [
      'a body over the limit, chunked',
      () => ({ path: '/bindings', headers: json({ 'transfer-encoding': 'chunked' }), body: call('/bindings', { pad: 'x'.repeat(BODY_LIMIT) }) }),
    ],
    [
      'a body in UTF-8 with a charset',
      () => ({
        path: '/bindings',
        headers: json({ 'content-type': 'application/json; charset=utf-8' }),
        body: call('/bindings', { values: { note: 'héllo ✓' } }),
      }),
    ],
    [
      'a gzip body (served by express both ways)',
      () => ({ path: '/bindings', headers: json({ 'content-encoding': 'gzip' }), body: gzipSync(call('/bindings')) }),
    ],
    [
      'a latin1 body (served by express both ways)',
      () => ({ path: '/bindings', headers: json({ 'content-type': 'application/json; charset=latin1' }), body: call('/bindings') }),
    ],
    ['a query string', () => ({ path: '/bindings?x=1', headers: json(), body: call('/bindings') })],
    ['a trailing slash', () => ({ path: '/bindings/', headers: json(), body: call('/bindings') })],
    ['an unknown call path', () => ({ path: '/no/such/call', headers: json(), body: call('/no/such/call') })],
    ['an unknown path without a JWT', () => ({ path: '/%E0%A4%A', headers: { 'content-type': 'application/json' }, body: '{}' })],
    ['a handler that throws', () => ({ path: '/test/failing', headers: json(), body: call('/test/failing') })],
    ['the manifest', () => ({ method: 'GET', path: '/manifest.json' })],
    ['a GET of a call path', () => ({ method: 'GET', path: '/bindings' })],
  ];

  /** The requests the listener hands to the express app; it answers every other one itself. */
  const BY_EXPRESS = new Set([
    'a gzip body (served by express both ways)',
    'a latin1 body (served by express both ways)',
    'a query string',
    'a trailing slash',
    'an unknown call path',
    'an unknown path without a JWT',
    'the manifest',
    'a GET of a call path',
  ]);

  for (const [what, sent] of REQUESTS) {
    it(`when the App gets ${what}, then the listener answers and logs what the express app does`, async () => {
      const expected = await send(viaApp, sent());
      const handedBefore = handedOver;
      const actual = await send(viaListener, sent());
      assert.deepEqual(actual, expected);
      assert.equal(handedOver - handedBefore, BY_EXPRESS.has(what) ? 1 : 0, BY_EXPRESS.has(what) ? 'handed to express' : 'answered ahead of express');
    });
  }

  it('when calls are answered, then they are the ones the table above expects (not all refusals)', async () => {
    const bindings = await send(viaListener, REQUESTS[0]![1]());
    assert.equal(bindings.status, 200);
    assert.equal((JSON.parse(bindings.body) as { type: string }).type, 'ok');
    assert.match((await send(viaListener, REQUESTS[4]![1]())).body, /not signed by the Apps plugin/);
    assert.match((await send(viaListener, REQUESTS[7]![1]())).body, /not valid JSON/);
    assert.match((await send(viaListener, REQUESTS[10]![1]())).body, /too large/);
  });
});
