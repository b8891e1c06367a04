/**
 * A small round-robin HTTP proxy in front of the replicas, like a load
 * balancer: each request goes to the next replica; a replica that refuses the
 * connection (stopped, killed) is skipped, one that dies mid-request answers
 * 502. It counts what each replica served.
 */
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class RoundRobinProxy {
  private server: Server | undefined;
  private next = 0;
  // Idle sockets close after 2 s, before the replicas' own 5 s keep-alive timeout: otherwise a request
  // sent on a socket the replica is closing at that instant fails with ECONNRESET (not the replica's fault).
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 128, timeout: 2000 });
  /** Requests each backend answered, by index. */
  readonly served: number[];
  url = '';

  constructor(private readonly ports: readonly number[]) {
    this.served = ports.map(() => 0);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.server = server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Buffered, so a request refused at connect time can go to the next replica unchanged.
    const first = this.next++;
    for (let tries = 0; tries < this.ports.length; tries += 1) {
      // Each replica once per request, whatever the concurrent requests take meanwhile.
      const index = (first + tries) % this.ports.length;
      const outcome = await this.forward(index, req, body, res);
      if (outcome !== 'refused') return;
    }
    res.writeHead(503, { 'content-type': 'text/plain' }).end('no replica is up');
  }

  private forward(index: number, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<'done' | 'refused'> {
    return new Promise((resolve) => {
      const upstream = request(
        { host: '127.0.0.1', port: this.ports[index], method: req.method, path: req.url, headers: req.headers, agent: this.agent },
        (answer) => {
          this.served[index]! += 1;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
          answer.on('end', () => resolve('done'));
        },
      );
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        // Only a refused connection is retried: a reset may come from a replica that died while serving it.
        if (error.code === 'ECONNREFUSED') return resolve('refused');
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`replica ${index} failed: ${error.code ?? error.message}`);
        else res.destroy();
        resolve('done');
      });
      upstream.end(body);
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
