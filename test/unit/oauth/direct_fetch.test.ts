import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { directFetch } from '../../../packages/engine/src/direct_fetch.js';
import { ResponseTooLargeError } from '../../../packages/engine/src/util/read_capped.js';
import { cappedResponse } from '../../../packages/engine/src/util/read_capped.js';

const run = promisify(execFile);

/** What the server saw of the last request per path. */
const seen = new Map<string, { method: string; headers: IncomingMessage['headers']; body: string }>();
const JSON_BODY = JSON.stringify({ sub: '248289761001', name: 'Jane Doe', email: 'jane@example.com' });

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = new URL(req.url!, 'http://x').pathname;
  seen.set(path, { method: req.method!, headers: req.headers, body });
  const status = /^\/status\/(\d+)$/.exec(path);
  if (status) {
    res.writeHead(Number(status[1]), 'Custom Reason', { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
    return void res.end([204, 205, 304].includes(Number(status[1])) ? undefined : JSON_BODY);
  }
  switch (path) {
    case '/redirect':
      res.writeHead(302, { location: '/echo' });
      return void res.end();
    case '/repeated':
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('x-list', ['one', 'two']);
      return void res.end('ok');
    case '/gzip':
    case '/deflate':
    case '/br': {
      const encode = { '/gzip': gzipSync, '/deflate': deflateSync, '/br': brotliCompressSync }[path];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': path.slice(1) });
      return void res.end(encode(JSON_BODY));
    }
    case '/chunks':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON_BODY.slice(0, 10));
      return void setTimeout(() => res.end(JSON_BODY.slice(10)), 5);
    case '/big':
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(Buffer.alloc(3000, 0x20));
    case '/hang':
      return;
    default:
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, body }));
  }
}

let server: Server;
let base: string;

/** The parts of an answer fetch and the engine's transport must agree on. */
async function shape(response: Response) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) headers[name] = value;
  });
  return {
    status: response.status,
    statusText: response.statusText,
    url: response.url,
    headers,
    body: await response.text(),
    bodyNull: response.body === null,
  };
}

/** Every engine request asks that no redirect be followed (oauth4webapi's and the engine's own). */
const asTheEngineSends = (init: RequestInit): RequestInit => ({ ...init, redirect: 'manual' });
const viaFetch = async (url: string, init: RequestInit, limit?: number) => cappedResponse(await fetch(url, asTheEngineSends(init)), limit);
/** The transport alone: a request it handed to fetch would fail here, so each comparison is of its own answer. */
const notHandedOver: typeof fetch = () => Promise.reject(new Error('handed to fetch'));
const viaDirect = (url: string, init: RequestInit, limit?: number, timeoutMs?: number) =>
  directFetch(url, asTheEngineSends(init), { ...(limit !== undefined && { limit }), ...(timeoutMs !== undefined && { timeoutMs }), fallback: notHandedOver });

describe("the engine's own transport answers what fetch answers", () => {
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => answer(req, res, Buffer.concat(chunks).toString()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const requests: Array<[string, string, RequestInit]> = [
    [
      'a GET with a bearer token in a Headers object',
      '/echo',
      { headers: new Headers({ authorization: 'Bearer abc', accept: 'application/json' }), redirect: 'manual' },
    ],
    [
      'a POST of URLSearchParams',
      '/echo',
      { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r t' }), redirect: 'manual' },
    ],
    ['a POST of a string with its own content type', '/echo', { method: 'post', body: '{"a":1}', headers: { 'content-type': 'application/json' } }],
    ['a POST of a string without one', '/echo', { method: 'POST', body: 'plain' }],
    ['a POST of bytes', '/echo', { method: 'POST', body: new TextEncoder().encode('bytes'), headers: [['content-type', 'application/octet-stream']] }],
    ['a redirect, not followed', '/redirect', { redirect: 'manual' }],
    ['repeated answer headers', '/repeated', {}],
    ['a gzip body', '/gzip', {}],
    ['a deflate body', '/deflate', {}],
    ['a br body', '/br', {}],
    ['a body in chunks without a length', '/chunks', {}],
    ...[200, 201, 204, 205, 304, 400, 401, 404, 500, 503, 599].map((n): [string, string, RequestInit] => [`HTTP ${n}`, `/status/${n}`, {}]),
  ];
  for (const [what, path, init] of requests) {
    it(`when the engine sends ${what}, then the answer is the same as fetch's, and so is what the server reads`, async () => {
      const expected = await shape(await viaFetch(base + path, init));
      const fetchSaw = seen.get(path.replace(/\?.*/, ''))!;
      const actual = await shape(await viaDirect(base + path, init));
      const directSaw = seen.get(path.replace(/\?.*/, ''))!;
      assert.deepEqual(actual, expected);
      assert.equal(directSaw.method, fetchSaw.method);
      assert.equal(directSaw.body, fetchSaw.body);
      for (const name of ['content-type', 'accept', 'authorization', 'user-agent', 'content-length']) {
        assert.equal(directSaw.headers[name], fetchSaw.headers[name], name);
      }
      assert.equal(directSaw.headers['accept-encoding'], undefined, 'it asks for no compression');
    });
  }

  it("when fetch ran first in the process, so that the global dispatcher is Node's own, then the transport sends through it", async () => {
    // A process of its own: in this one the package's undici set the global dispatcher before any fetch ran.
    const script = [
      `await (await fetch('${base}/echo')).text();`,
      "const { directFetch } = await import('./packages/engine/src/direct_fetch.ts');",
      `const response = await directFetch('${base}/echo', { redirect: 'manual' }, { timeoutMs: 5000, fallback: () => Promise.reject(new Error('handed to fetch')) });`,
      'console.log(response.status, await response.text());',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() });
    assert.equal(stdout.trim(), '200 {"method":"GET","body":""}');
  });

  it('when an answer is larger than the limit, then both refuse it with the same error', async () => {
    await assert.rejects(viaFetch(`${base}/big`, {}, 1000), ResponseTooLargeError);
    await assert.rejects(viaDirect(`${base}/big`, {}, 1000), ResponseTooLargeError);
    await assert.rejects(viaDirect(`${base}/gzip`, {}, 20), ResponseTooLargeError);
    const within = await viaDirect(`${base}/big`, {}, 3000);
    assert.equal((await within.arrayBuffer()).byteLength, 3000);
  });

  it('when the server does not answer in time, then both reject with the timeout signal reason', async () => {
    const expected = await viaFetch(`${base}/hang`, { signal: AbortSignal.timeout(50) }).catch((err: unknown) => err);
    const bySignal = await viaDirect(`${base}/hang`, { signal: AbortSignal.timeout(50) }).catch((err: unknown) => err);
    const byDeadline = await viaDirect(`${base}/hang`, {}, undefined, 50).catch((err: unknown) => err);
    for (const actual of [bySignal, byDeadline]) {
      assert.ok(expected instanceof DOMException && actual instanceof DOMException);
      assert.equal(actual.name, expected.name);
      assert.equal(actual.message, expected.message);
    }
    assert.equal((expected as DOMException).name, 'TimeoutError');
  });

  it("when the caller's signal aborts before the deadline, then the request rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const pending = viaDirect(`${base}/hang`, { signal: controller.signal }, undefined, 60_000);
    setTimeout(() => controller.abort(new Error('stopped by the caller')), 20);
    await assert.rejects(pending, /stopped by the caller/);
    const already = AbortSignal.abort(new Error('aborted before'));
    await assert.rejects(viaDirect(`${base}/echo`, { signal: already }, undefined, 60_000), /aborted before/);
  });

  it('when an answer comes before the deadline, then its timer is gone with it', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const responses = await Promise.all([1, 2, 3].map(() => viaDirect(`${base}/echo`, {}, undefined, 60_000)));
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200],
    );
    assert.equal(timers(), before, 'no deadline timer is left pending');
  });

  it('when nothing listens, then both reject with TypeError "fetch failed" and the connection error as its cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const expected = await viaFetch(url, {}).catch((err: unknown) => err);
    const actual = await viaDirect(url, {}).catch((err: unknown) => err);
    assert.ok(expected instanceof TypeError && actual instanceof TypeError);
    assert.equal(actual.message, expected.message);
    assert.equal((actual.cause as { code?: string }).code, 'ECONNREFUSED');
  });

  it("when a request asks redirects followed (fetch's default) or has a body this transport does not send, then fetch sends it", async () => {
    const calls: string[] = [];
    const fallback: typeof fetch = (input, init) => {
      calls.push(String(init?.redirect ?? 'default'));
      return fetch(input, init);
    };
    const followed = await directFetch(`${base}/redirect`, { redirect: 'follow' }, { fallback });
    assert.equal(followed.status, 200, 'fetch followed the redirect');
    const byDefault = await directFetch(`${base}/redirect`, {}, { fallback });
    assert.equal(byDefault.status, 200, "fetch's default, followed");
    await directFetch(`${base}/echo`, { method: 'POST', body: new Blob(['blob']), redirect: 'manual' }, { fallback });
    assert.deepEqual(calls, ['follow', 'default', 'manual']);
    assert.equal(seen.get('/echo')?.body, 'blob');
  });
});
