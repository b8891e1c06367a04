/**
 * A proxy in front of the fake Apps plugin, as the App reaches Mattermost
 * (APP_MATTERMOST_URL): it counts the App's reads and writes and injects
 * faults (Mattermost down, slow, answering 5xx, or refusing a value as over
 * the 8 KiB limit) on the requests a fault matches.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'down' | 'slow' | 'status' | 'too_large';

export interface Fault {
  kind: FaultKind;
  /** Which requests it hits; all of them when absent. */
  match?: (method: string, path: string) => boolean;
  /** For slow: the delay before forwarding. */
  delayMs?: number;
  /** For status: the answer's status (default 503). */
  status?: number;
}

export interface ProxyRequest {
  method: string;
  path: string;
  status: number;
  faulted: boolean;
}

export interface KvProxy {
  url: string;
  /** Every request seen, in order. */
  requests: ProxyRequest[];
  fault: Fault | undefined;
  /** Faults injected so far. */
  faultsInjected: number;
  writes(): number;
  close(): Promise<void>;
}

export const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD';
export const kvOnly = (write?: boolean) => (method: string, path: string) => path.includes('/api/v1/kv/') && (write === undefined || isWrite(method) === write);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startKvProxy(target: () => string): Promise<KvProxy> {
  const proxy: KvProxy = {
    url: '',
    requests: [],
    fault: undefined,
    faultsInjected: 0,
    writes: () => proxy.requests.filter((r) => isWrite(r.method) && !r.faulted).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(req);
    const fault = proxy.fault && (proxy.fault.match ?? (() => true))(method, path) ? proxy.fault : undefined;
    const record: ProxyRequest = { method, path, status: 0, faulted: fault !== undefined && fault.kind !== 'slow' };
    proxy.requests.push(record);
    if (fault) proxy.faultsInjected += 1;
    if (fault?.kind === 'down') return void req.socket.destroy();
    if (fault?.kind === 'status') return void res.writeHead((record.status = fault.status ?? 503), { 'content-type': 'text/plain' }).end('service unavailable');
    if (fault?.kind === 'too_large') return void res.writeHead((record.status = 500), { 'content-type': 'text/plain' }).end('size limit of 8Kb exceeded');
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 5000));
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)),
    ) as Record<string, string>;
    const answer = await fetch(target() + (req.url ?? '/'), { method, headers, ...(body.length > 0 && { body: new Uint8Array(body) }) });
    record.status = answer.status;
    const contentType = answer.headers.get('content-type');
    res.writeHead(answer.status, contentType ? { 'content-type': contentType } : {});
    res.end(Buffer.from(await answer.arrayBuffer()));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end('proxy error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
