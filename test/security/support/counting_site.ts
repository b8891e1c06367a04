/**
 * A tiny stand-in for Mattermost and the Apps plugin REST API that accepts
 * whatever the App sends and counts it: the fuzz target's outbound side.
 * KV reads of a token key answer, at random, nothing, garbage or a sealed
 * token (sealed with the App's key, expiring or not), so that handlers go
 * past the read into refresh, userinfo and revocation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface CountingSite {
  url: string;
  reads: number;
  writes: number;
  /** Writes per path kind: kv, oauth2/app, oauth2/user, posts, channels. */
  writesByKind: Record<string, number>;
  close(): Promise<void>;
}

const kindOf = (path: string) =>
  path.includes('/kv/')
    ? 'kv'
    : path.includes('/oauth2/app')
      ? 'oauth2/app'
      : path.includes('/oauth2/user')
        ? 'oauth2/user'
        : path.includes('/posts')
          ? 'posts'
          : path.includes('/channels')
            ? 'channels'
            : 'other';

export async function startCountingSite(seal: (plaintext: string) => string, now: () => number): Promise<CountingSite> {
  let turn = 0;
  const tokenRecord = (): string => {
    turn += 1;
    if (turn % 4 === 0) return '{}';
    if (turn % 4 === 1) return JSON.stringify({ v: 1, s: 'v1.k1.not-base64.garbage' });
    const expiresAt = turn % 4 === 2 ? now() - 1000 : now() + 3_600_000;
    const tokens = {
      access_token: randomBytes(16).toString('hex'),
      refresh_token: randomBytes(16).toString('hex'),
      token_type: 'bearer',
      expires_at: expiresAt,
    };
    return JSON.stringify({ v: 1, s: seal(JSON.stringify(tokens)) });
  };

  const site: CountingSite = {
    url: '',
    reads: 0,
    writes: 0,
    writesByKind: {},
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      site.reads += 1;
      if (path.includes('/kv/t/')) return res.writeHead(200, { 'content-type': 'application/json' }).end(tokenRecord());
      if (path.includes('/kv/')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (path.endsWith('/oauth2/user')) return res.writeHead(200).end('');
      return res.writeHead(404).end('not found');
    }
    site.writes += 1;
    const kind = kindOf(path);
    site.writesByKind[kind] = (site.writesByKind[kind] ?? 0) + 1;
    if (Buffer.byteLength(body) > 8192) return res.writeHead(500).end('size limit of 8Kb exceeded');
    if (path.endsWith('/channels/direct')) return res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"dmchannel","type":"D"}');
    if (path.endsWith('/posts')) return res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"post"}');
    if (path.includes('/kv/') && method !== 'DELETE') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"changed":true}');
    return res.writeHead(200).end();
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return site;
}
