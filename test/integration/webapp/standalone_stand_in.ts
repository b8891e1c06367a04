// A stand-in for a Mattermost v12 server in front of the real standalone service
// (in process, test/support/standalone/world.ts): it serves the host page and the
// built bundle, has no Apps plugin (404), answers the lookup of the service's
// bot as `oauth2-connect setup` leaves it (its address in a prop), and runs `/oauth2 …` for
// POST /api/v4/commands/execute as Mattermost does (docs/mattermost.md, "Running a
// command from the webapp"): the
// session cookie and CSRF header checked, the service called with the team's
// command token and the session's user, its CommandResponse returned with the
// client trigger id; a failing service gives 500 and no JSON.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import type { StandaloneWorld } from '../../support/standalone/world.js';
import { BOT_USERNAME, SERVICE_URL_PROP } from '../../../src/hosts/standalone/setup/names.js';
import { hostAssets, sendText as send } from './host_assets.js';

export const CSRF = 'csrf-token-for-standalone-test';

export interface StandIn {
  url: string;
  /** Every command the page ran, as typed. */
  commands: string[];
  /** When true the service does not answer, and Mattermost gives the page a 500. */
  serviceDown: boolean;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const cookie = (req: IncomingMessage, name: string) =>
  (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

async function execute(world: StandaloneWorld, user: FakeUser, command: string, serviceDown: boolean): Promise<{ status: number; body: string }> {
  const fail = (detail: string) => ({
    status: 500,
    body: JSON.stringify({ id: 'api.command.execute_command.failed.app_error', message: 'Command with a trigger of oauth2 failed.', detailed_error: detail }),
  });
  const text = command.replace(/^\/oauth2\s*/, '');
  let answer: Response;
  try {
    // Down: the command URL of a service that is not listening (port 9, discard).
    answer = serviceDown ? await fetch('http://127.0.0.1:9/standalone/command', { method: 'POST' }) : await world.command(user, text);
  } catch (err) {
    return fail(String(err));
  }
  if (answer.status !== 200) return fail(`status ${answer.status}`);
  const response = (await answer.json()) as Record<string, unknown>;
  return { status: 200, body: JSON.stringify({ ...response, trigger_id: `client-trigger-${Date.now()}` }) };
}

export async function startStandIn(world: StandaloneWorld, reactScript: string): Promise<StandIn> {
  const commands: string[] = [];
  const standIn = { commands, serviceDown: false } as StandIn;
  const assets = hostAssets(reactScript);
  const server: Server = createServer((req, res) => void handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain', String(err))));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (assets(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/api/v4/commands/execute') {
      const user = world.mm.users.get(cookie(req, 'MMAUTHTOKEN') ?? '');
      if (!user) return send(res, 401, 'application/json', '{"id":"api.context.session_expired.app_error","status_code":401}');
      if (req.headers['x-csrf-token'] !== CSRF || req.headers['x-requested-with'] !== 'XMLHttpRequest')
        return send(res, 401, 'application/json', '{"message":"bad csrf"}');
      const body = JSON.parse(await readBody(req)) as { command: string };
      commands.push(body.command);
      if (!body.command.startsWith('/oauth2')) return send(res, 404, 'application/json', '{"id":"api.command.execute_command.not_found.app_error"}');
      const out = await execute(world, user, body.command, standIn.serviceDown);
      return send(res, out.status, 'application/json', out.body);
    }
    if (req.method === 'GET' && path === `/api/v4/users/username/${BOT_USERNAME}`) {
      // The service's bot as `oauth2-connect setup` leaves it: a system admin bot whose props carry the service's address.
      const bot = { id: world.mm.botUserId, username: BOT_USERNAME, is_bot: true, delete_at: 0, roles: 'system_user system_admin' };
      return send(res, 200, 'application/json', JSON.stringify({ ...bot, props: { [SERVICE_URL_PROP]: world.rootUrl } }));
    }
    // No Apps plugin on v12: its routes are 404.
    send(res, 404, 'text/plain', '404 page not found');
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}
