/**
 * An HTTP listener on 127.0.0.1 that records every request it receives and
 * answers 404: the "other origin" an admin points a provider's endpoint at, to
 * prove which secrets reached it.
 *
 *   const other = await startRecordingListener();
 *   // ... point an endpoint at `${other.origin}/userinfo` ...
 *   assert.deepEqual(other.carrying([accessToken, clientSecret]), []);
 */
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingListener {
  origin: string;
  requests: RecordedRequest[];
  /** The requests in which any of `secrets` appears: raw, URL-decoded, or inside HTTP Basic credentials. */
  carrying(secrets: string[]): RecordedRequest[];
  close(): Promise<void>;
}

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
};

/** Everything a request says, in every encoding a client uses to send a token or a client secret. */
function readable(request: RecordedRequest): string {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const credentials = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
  const raw = [request.method, request.url, JSON.stringify(request.headers), request.body, credentials].join('\n');
  return `${raw}\n${decoded(raw)}`;
}

export async function startRecordingListener(): Promise<RecordingListener> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    carrying: (secrets) => requests.filter((r) => secrets.some((s) => s !== '' && readable(r).includes(s))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
