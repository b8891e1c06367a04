// The HTTP side of the browser test: the host page, the plugin bundle, and a fake
// of the Apps plugin (its call endpoint and the connect URL a popup opens).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUNDLE, ROOT } from './build_bundle.js';
import { FakeApp, type CallBody } from './fake_apps_state.js';
import { hostPage, VENDOR_SCRIPTS } from './host_page.js';

export const CSRF_TOKEN = 'csrf-token-for-test';
const CALL_PATH = '/plugins/com.mattermost.apps/api/v1/call';
const CONNECT_PATH = '/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/connect';

export interface RecordedCall extends CallBody {
  csrf: string | undefined;
  requestedWith: string | undefined;
}

export interface FakeMattermost {
  url: string;
  app: FakeApp;
  calls: RecordedCall[];
  /** When false the call endpoint answers 404, as when the Apps plugin is disabled. */
  appsPluginEnabled: boolean;
  close(): Promise<void>;
}

// What the Apps plugin shows after a successful connect (docs/mattermost.md, "Remote OAuth2").
const COMPLETE_PAGE =
  '<!doctype html><title>Connected</title>' +
  '<p>Completed connecting your account. Please close this window.</p><script>setTimeout(() => window.close(), 300)</script>';

function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeMattermost(): Promise<FakeMattermost> {
  const fake = { calls: [] as RecordedCall[], appsPluginEnabled: true } as FakeMattermost;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain', String(err)));
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/') return send(res, 200, 'text/html', hostPage());
    if (req.method === 'GET' && path.startsWith('/vendor/') && VENDOR_SCRIPTS[path.slice(8)]) {
      return send(res, 200, 'text/javascript', readFileSync(join(ROOT, 'node_modules', VENDOR_SCRIPTS[path.slice(8)]!)));
    }
    if (req.method === 'GET' && path === '/static/plugins/com.github.oauth2-connect.webapp/main.js') {
      return send(res, 200, 'text/javascript', readFileSync(BUNDLE));
    }
    if (req.method === 'GET' && path === CONNECT_PATH) {
      return fake.app.completeConnect() ? send(res, 200, 'text/html', COMPLETE_PAGE) : send(res, 403, 'text/plain', 'no pending connect');
    }
    if (req.method === 'POST' && path === CALL_PATH) {
      if (!fake.appsPluginEnabled) return send(res, 404, 'text/plain', '404 page not found');
      const body = JSON.parse(await readBody(req)) as CallBody;
      const csrf = req.headers['x-csrf-token'] as string | undefined;
      const requestedWith = req.headers['x-requested-with'] as string | undefined;
      fake.calls.push({ ...body, csrf, requestedWith });
      // Mattermost refuses a cookie-authenticated POST without the CSRF token.
      if (csrf !== CSRF_TOKEN || requestedWith !== 'XMLHttpRequest') return send(res, 401, 'application/json', '{"message":"bad csrf"}');
      return send(res, 200, 'application/json', JSON.stringify(fake.app.answer(body)));
    }
    send(res, 404, 'text/plain', 'not found');
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.app = new FakeApp(`${fake.url}${CONNECT_PATH}`);
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
