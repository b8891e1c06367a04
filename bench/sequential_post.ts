/**
 * POST over one kept-alive connection, the answer's text: the A/B benches send
 * their requests one after the other, so the process's CPU per request is
 * measured without the load generator's concurrency in it.
 */
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';

export function sequentialPost(headers: OutgoingHttpHeaders): (url: string, body: string) => Promise<string> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return (url, body) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
}
