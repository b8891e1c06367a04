import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send as providerSend } from '../../../packages/engine/src/http.js';
import { send as mattermostSend } from '../../../packages/driver/src/http.js';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { OAuthError } from '../../../packages/engine/src/errors.js';
import { MattermostApiError } from '../../../packages/driver/src/errors.js';

let server: Server;
let base: string;
let streamsClosed = 0;

/** Writes JSON-looking bytes without end until the client goes away. */
function endless(res: ServerResponse, declareLength: boolean): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declareLength && { 'content-length': String(64 * 1024 * 1024) }) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('{"issuer":"');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('close', () => (streamsClosed += 1));
  pump();
}

describe('answers are capped at 1 MiB', () => {
  before(async () => {
    server = createServer((req, res) => endless(res, req.url!.includes('declared')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('when a provider streams an endless body, then the read stops at the cap with a clear provider error, and the stream is closed', async () => {
    const http = { fetch: globalThis.fetch, timeoutMs: 20_000, allowPrivateNetwork: true };
    const closed = streamsClosed;
    await assert.rejects(
      providerSend(http, `${base}/endless`),
      (err: unknown) =>
        err instanceof OAuthError && err.code === 'provider_error' && /larger than the limit \(the answer is larger than 1 MiB\)/.test(err.adminDetail ?? ''),
    );
    await assert.rejects(
      providerSend(http, `${base}/declared`),
      (err: unknown) => err instanceof OAuthError && /larger than 1 MiB/.test(err.adminDetail ?? ''),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(streamsClosed - closed, 2, 'the App hung up on both');
  });

  it('when discovery answers an endless document, then resolve fails with a provider error and the process stays up', async () => {
    const engine = createOAuthEngine({ fetch: globalThis.fetch, now: Date.now, httpTimeoutMs: 20_000, discoveryTtlMs: 1000, allowPrivateNetwork: true });
    const config = {
      id: 'p',
      display_name: 'P',
      preset: 'oidc',
      issuer: `${base}/endless`,
      client_id: 'c',
      scopes: ['openid'],
      token_endpoint_auth_method: 'none',
    } as const;
    await assert.rejects(
      engine.resolve({ ...config, scopes: [...config.scopes] }),
      (err: unknown) => err instanceof OAuthError && /larger than 1 MiB/.test(err.adminDetail ?? ''),
    );
  });

  it('when Mattermost streams an endless body, then the driver stops at the cap with a clear error', async () => {
    await assert.rejects(
      mattermostSend({ siteUrl: base, token: 't', timeoutMs: 20_000 }, { method: 'GET', path: '/api/v4/users/me' }),
      (err: unknown) => err instanceof MattermostApiError && /larger than 1 MiB/.test(err.message),
    );
  });
});
