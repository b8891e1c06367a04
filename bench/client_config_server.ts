/**
 * Mattermost's limited client configuration, and nothing else: where a bench
 * server's APP_MATTERMOST_URL points, so the service reads the public half of
 * the key the bench signs trigger ids with (AsymmetricSigningPublicKey, base64
 * PKIX DER), as it reads a real server's. A tiny listener in the bench process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ClientConfigServer {
  /** Base URL, for APP_MATTERMOST_URL. */
  url: string;
  close(): Promise<void>;
}

/** GET /api/v4/config/client answers { AsymmetricSigningPublicKey }, as Mattermost does to any client; all else is 404. */
export async function serveClientConfig(publicKeyBase64: string): Promise<ClientConfigServer> {
  const config = JSON.stringify({ AsymmetricSigningPublicKey: publicKeyBase64 });
  const server = createServer((req, res) => {
    const found = req.method === 'GET' && (req.url ?? '').split('?')[0] === '/api/v4/config/client';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(found ? config : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
