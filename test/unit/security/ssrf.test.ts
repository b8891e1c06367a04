import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { send } from '../../../packages/engine/src/http.js';
import { isPrivateAddress } from '../../../packages/engine/src/network_guard.js';
import { randomBytes } from 'node:crypto';
import { OAuthError } from '../../../packages/engine/src/errors.js';
import { createOAuthEngine, provider } from '../../../packages/engine/src/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { serviceParts } from '../../../src/service_parts.js';

let server: Server;
let port: number;
let connections = 0;

/** Both ways the engine sends: through an injected fetch, and through its own transport when none is given. */
const TRANSPORTS = [
  ['an injected fetch', { fetch: globalThis.fetch, timeoutMs: 2000 }],
  ["the engine's own transport", { timeoutMs: 2000 }],
] as const;

function refusedFor(pattern: RegExp) {
  return (err: unknown) => err instanceof OAuthError && err.code === 'config' && pattern.test(err.adminDetail ?? '');
}

describe('SSRF guard on provider requests', () => {
  before(async () => {
    server = createServer((_req, res) => res.end('{}'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00:ec2::254',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::192.168.1.1',
    '64:ff9b:1::8.8.8.8',
    '64:ff9b:1:ab::1',
  ]) {
    it(`when an address is ${address}, then it is private`, () => assert.equal(isPrivateAddress(address), true));
  }
  // A public IPv4 address behind the well-known NAT64 prefix is public: an IPv6-only network with DNS64 reaches every IPv4-only provider so.
  for (const address of ['8.8.8.8', '140.82.112.3', '2606:4700:4700::1111', '64:ff9b::8c52:7003', '64:ff9b::8.8.8.8']) {
    it(`when an address is ${address}, then it is public`, () => assert.equal(isPrivateAddress(address), false));
  }

  it('when a library user calls a private provider, then the refusal names the engine option; the service names its environment setting', async () => {
    const local = provider({ preset: 'oidc', client_id: 'c', issuer: `https://127.0.0.1:${port}` });
    await assert.rejects(createOAuthEngine().resolve(local), refusedFor(/^(?!.*APP_).*set the engine option allowPrivateNetwork: true if this is intended/));
    const env = { APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_ENCRYPTION_KEY_ID: 'k' };
    const { engine } = serviceParts(loadConfig(env));
    await assert.rejects(engine.resolve(local), refusedFor(/^(?!.*allowPrivateNetwork).*set APP_ALLOW_PRIVATE_NETWORK=true if this is intended/));
  });

  for (const [transport, guarded] of TRANSPORTS) {
    const open = { ...guarded, allowPrivateNetwork: true };
    it(`when a URL names a private address literally or plain http, then it is refused before any connection (${transport})`, async () => {
      const before = connections;
      await assert.rejects(
        send(guarded, `https://127.0.0.1:${port}/x`),
        refusedFor(/private address; set the engine option allowPrivateNetwork: true if this is intended/),
      );
      await assert.rejects(send(guarded, `https://[::ffff:7f00:1]:${port}/x`), refusedFor(/private address/));
      await assert.rejects(send(guarded, `https://localhost:${port}/x`), refusedFor(/private address/));
      await assert.rejects(send(guarded, `http://provider.example.com/x`), refusedFor(/must use https/));
      assert.equal(connections, before);
    });

    it(`when a host name resolves to a private address, then the request is refused after DNS resolution, at connect time (${transport})`, async () => {
      // The machine's own name: not a literal, so only the connect-time lookup can catch it.
      const name = hostname();
      const resolved = await lookup(name, { all: true });
      assert.ok(
        resolved.every((a) => isPrivateAddress(a.address)),
        `${name} resolves to ${JSON.stringify(resolved)} here`,
      );
      const before = connections;
      await assert.rejects(
        send(guarded, `https://${name}:${port}/x`),
        refusedFor(new RegExp(`${name} resolves to a private address \\(.+\\); set the engine option allowPrivateNetwork: true if this is intended`)),
      );
      assert.equal(connections, before, 'no connection was made');
    });

    it(`when private networks are allowed, then the same loopback provider is reached over http (${transport})`, async () => {
      const response = await send(open, `http://127.0.0.1:${port}/x`);
      assert.equal(await response.text(), '{}');
    });
  }
});
