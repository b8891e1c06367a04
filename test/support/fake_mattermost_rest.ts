/**
 * An in-process fake of the Mattermost REST endpoints setup and team sync
 * call, on 127.0.0.1, with Mattermost's permission rules (docs/mattermost.md;
 * system admin for config, bots, roles, OAuth apps; commands
 * soft-deleted; tokens shown once). Answers carry exactly
 * `Content-Type: application/json`, as Client4 needs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeRoutes } from './fake_mattermost_routes.js';
import { FakeHttpError, FakeMattermostState } from './fake_mattermost_state.js';

export * from './fake_mattermost_state.js';

export interface FakeMattermost {
  url: string;
  state: FakeMattermostState;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeMattermost(state = new FakeMattermostState()): Promise<FakeMattermost> {
  const routes = fakeRoutes(state);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    state.calls.push(`${req.method} ${url.pathname}`);
    void (async () => {
      try {
        const token = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const record = token ? state.tokens.get(token) : undefined;
        const caller = record?.is_active ? state.users.get(record.user_id) : undefined;
        if (!caller || caller.delete_at > 0) throw new FakeHttpError(401, 'api.context.session_expired.app_error');
        if (state.refused.has(`${req.method} ${url.pathname}`)) throw new FakeHttpError(403, 'api.context.permissions.app_error');
        const body = await readBody(req);
        for (const route of routes) {
          const m = route.method === req.method ? route.path.exec(url.pathname) : null;
          if (m) return send(res, route.status ?? 200, await route.handle({ caller, params: m.slice(1), query: url.searchParams, body }));
        }
        throw new FakeHttpError(404, 'api.context.404.app_error');
      } catch (err) {
        if (err instanceof FakeHttpError) return send(res, err.status, { id: err.id, message: err.id, status_code: err.status });
        send(res, 500, { id: 'fake.error', message: (err as Error).message, status_code: 500 });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise((r) => server.close(() => r())) };
}
