// A stand-in for the standalone router's POST /standalone/command: it checks
// the form's token against the hash setup stored for that team, as the real
// route does first, and records the requests Mattermost sends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandTokenMatches } from '../../src/hosts/standalone/commands/command_token.js';
import type { InstallationStore } from '../../src/hosts/standalone/ports.js';

export interface StubRequest {
  path: string;
  form: URLSearchParams;
  authorization: string | undefined;
  accepted: boolean;
}

export interface CommandStub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startCommandStub(store: InstallationStore): Promise<CommandStub> {
  const requests: StubRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      void (async () => {
        const form = new URLSearchParams(body);
        const stored = await store.commandForTeam(form.get('team_id') ?? '');
        const accepted =
          req.method === 'POST' && req.url === '/standalone/command' && !!stored && commandTokenMatches(form.get('token') ?? '', stored.token_hash);
        requests.push({ path: req.url ?? '', form, authorization: req.headers.authorization, accepted });
        if (!accepted) {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ response_type: 'ephemeral', text: `stub got ${form.get('command')} ${form.get('text')}` }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
