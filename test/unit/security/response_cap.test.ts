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
/** The endless answers still being written, per path: each one the client hung up on leaves. */
const streamsOpen = new Map<string, number>();
const count = (path: string, by: number) => streamsOpen.set(path, (streamsOpen.get(path) ?? 0) + by);

/** Writes JSON-looking bytes without end until the client goes away. */
function endless(res: ServerResponse, declareLength: boolean): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declareLength && { 'content-length': String(64 * 1024 * 1024) }) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('{"issuer":"');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  const path = res.req.url!;
  count(path, 1);
  res.on('close', () => count(path, -1));
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

  for (const [transport, fetchOption] of [
    ['an injected fetch', { fetch: globalThis.fetch }],
    ["the engine's own transport", {}],
  ] as const) {
    it(`when a provider streams an endless body, then the read stops at the cap with a clear provider error, and the stream is closed (${transport})`, async () => {
      const http = { ...fetchOption, timeoutMs: 20_000, allowPrivateNetwork: true };
      await assert.rejects(
        providerSend(http, `${base}/endless`),
        (err: unknown) =>
          err instanceof OAuthError && err.code === 'provider_error' && /larger than the limit \(the answer is larger than 1 MiB\)/.test(err.adminDetail ?? ''),
      );
      await assert.rejects(
        providerSend(http, `${base}/declared`),
        (err: unknown) => err instanceof OAuthError && /larger than 1 MiB/.test(err.adminDetail ?? ''),
      );
      const stillOpen = () => [streamsOpen.get('/endless'), streamsOpen.get('/declared')];
      for (let waited = 0; waited < 2000 && stillOpen().some((n) => n !== 0); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(stillOpen(), [0, 0], 'the App hung up on both');
    });

    it(`when discovery answers an endless document, then resolve fails with a provider error and the process stays up (${transport})`, async () => {
      const engine = createOAuthEngine({ ...fetchOption, now: Date.now, httpTimeoutMs: 20_000, discoveryTtlMs: 1000, allowPrivateNetwork: true });
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
  }

  it('when Mattermost streams an endless body, then the driver stops at the cap with a clear error', async () => {
    await assert.rejects(
      mattermostSend({ siteUrl: base, token: 't', timeoutMs: 20_000 }, { method: 'GET', path: '/api/v4/users/me' }),
      (err: unknown) => err instanceof MattermostApiError && /larger than 1 MiB/.test(err.message),
    );
  });
});
