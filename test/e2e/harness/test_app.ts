// A tiny HTTP App for E2E tests: serves its manifest, an icon, /ping and
// whatever call handlers the test gives it, and records every request so the
// test can assert exactly what the real Apps plugin sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Recorded {
  method: string;
  path: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export type CallHandler = (body: any, req: Recorded) => unknown | Promise<unknown>;
export type GetHandler = (url: URL) => { status: number; headers?: Record<string, string>; body?: string };

// 1x1 transparent PNG: the plugin downloads the icon at install and sets it as the bot's picture.
const ICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface TestApp {
  rootUrl: string;
  manifest: Record<string, unknown>;
  requests: Recorded[];
  calls(path: string): Recorded[];
  onCall(path: string, handler: CallHandler): void;
  onGet(path: string, handler: GetHandler): void;
  close(): Promise<void>;
}

export async function startTestApp(manifestExtra: Record<string, unknown>): Promise<TestApp> {
  const requests: Recorded[] = [];
  const callHandlers = new Map<string, CallHandler>([
    ['/ping', () => ({ type: 'ok' })],
    ['/bindings', () => ({ type: 'ok', data: [] })],
  ]);
  const getHandlers = new Map<string, GetHandler>();
  let manifest: Record<string, unknown> = {};

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://app');
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    const rec: Recorded = { method: req.method ?? '', path: url.pathname, url: req.url ?? '', headers: req.headers, body };
    requests.push(rec);
    try {
      if (req.method === 'GET' && url.pathname === '/manifest.json') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(manifest));
      } else if (req.method === 'GET' && url.pathname === '/static/icon.png') {
        res.writeHead(200, { 'Content-Type': 'image/png' }).end(ICON);
      } else if (req.method === 'GET' && getHandlers.has(url.pathname)) {
        const out = getHandlers.get(url.pathname)!(url);
        res.writeHead(out.status, out.headers).end(out.body ?? '');
      } else if (req.method === 'POST' && callHandlers.has(url.pathname)) {
        const out = await callHandlers.get(url.pathname)!(body, rec);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(out));
      } else {
        res.writeHead(404).end('not found');
      }
    } catch (err) {
      // Failures of test handlers go back as a call error, as the protocol wants.
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ type: 'error', text: String((err as Error).stack ?? err) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const rootUrl = `http://127.0.0.1:${port}`;
  manifest = { ...manifestExtra, http: { root_url: rootUrl, use_jwt: true } };

  return {
    rootUrl,
    manifest,
    requests,
    calls: (path) => requests.filter((r) => r.path === path),
    onCall: (path, handler) => callHandlers.set(path, handler),
    onGet: (path, handler) => getHandlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
