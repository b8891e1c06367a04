/**
 * Every way a Mattermost-App-Authorization JWT can be wrong, through the real
 * express app with a counting handler on the path: 401, no handler run, no
 * secret or token in the log. Tokens are built byte by byte with node:crypto,
 * so a fault can be correctly signed and reach the check it is meant for.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config/index.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { createDeps } from '../../../src/service.js';
import { appsHttp, type AppsHttp } from '../../../src/hosts/apps/http/app.js';
import { createJwtVerifier, JwtError, MAX_JWT_LIFETIME_S, MAX_TOKEN_CHARS } from '../../../src/hosts/apps/http/jwt.js';
import type { Handler } from '../../../src/hosts/apps/calls/deps.js';

const secret = randomBytes(32).toString('base64url');
const USER = 'u7k3mfq9zbdn8xw1ceyr4tjahs';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const json = (value: unknown) => b64(JSON.stringify(value));
const hmac = (alg: 'sha256' | 'sha384' | 'sha512', input: string, key = secret) => createHmac(alg, key).update(input).digest('base64url');

/** header.payload signed with HMAC-SHA256 over `key`; header and payload are encoded segments. */
function hs256(header: string, payload: string, key = secret): string {
  return `${header}.${payload}.${hmac('sha256', `${header}.${payload}`, key)}`;
}
const HS256 = json({ alg: 'HS256', typ: 'JWT' });
const claims = (extra: Record<string, unknown> = {}) => json({ acting_user_id: USER, exp: now() + 900, ...extra });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

const FAULTS: Array<[string, () => string | undefined]> = [
  ['no header', () => undefined],
  ['no Bearer prefix', () => hs256(HS256, claims())],
  ['wrong secret', () => `Bearer ${hs256(HS256, claims(), `${secret}x`)}`],
  ['alg none, no signature', () => `Bearer ${json({ alg: 'none' })}.${claims()}.`],
  ['alg none with a signature', () => `Bearer ${hs256(json({ alg: 'none' }), claims())}`],
  ['alg missing', () => `Bearer ${hs256(json({ typ: 'JWT' }), claims())}`],
  ['HS512', () => `Bearer ${json({ alg: 'HS512' })}.${claims()}.${hmac('sha512', `${json({ alg: 'HS512' })}.${claims()}`)}`],
  ['HS384', () => `Bearer ${json({ alg: 'HS384' })}.${claims()}.${hmac('sha384', `${json({ alg: 'HS384' })}.${claims()}`)}`],
  [
    'RS256 signed with an RSA key',
    () => `Bearer ${json({ alg: 'RS256' })}.${claims()}.${b64(sign('sha256', Buffer.from(`${json({ alg: 'RS256' })}.${claims()}`), rsa.privateKey))}`,
  ],
  ['RS256 with the secret as a public key (HMAC)', () => `Bearer ${hs256(json({ alg: 'RS256' }), claims())}`],
  ['hs256 in lower case', () => `Bearer ${hs256(json({ alg: 'hs256' }), claims())}`],
  ['crit header', () => `Bearer ${hs256(json({ alg: 'HS256', crit: ['b64'], b64: true }), claims())}`],
  ['no exp', () => `Bearer ${hs256(HS256, json({ acting_user_id: USER }))}`],
  ['exp null', () => `Bearer ${hs256(HS256, claims({ exp: null }))}`],
  ['exp as a string', () => `Bearer ${hs256(HS256, claims({ exp: String(now() + 900) }))}`],
  ['expired', () => `Bearer ${hs256(HS256, claims({ exp: now() - 60 }))}`],
  ['exp 1e400 (JSON for Infinity)', () => `Bearer ${hs256(HS256, b64(`{"acting_user_id":"${USER}","exp":1e400}`))}`],
  ['exp a year ahead', () => `Bearer ${hs256(HS256, claims({ exp: now() + 365 * 86_400 }))}`],
  ['nbf in the future', () => `Bearer ${hs256(HS256, claims({ nbf: now() + 600 }))}`],
  ['nbf as a string', () => `Bearer ${hs256(HS256, claims({ nbf: '0' }))}`],
  ['iat as a string', () => `Bearer ${hs256(HS256, claims({ iat: 'yesterday' }))}`],
  ['tampered payload', () => `Bearer ${HS256}.${claims({ acting_user_id: 'someone-else' })}.${hs256(HS256, claims()).split('.')[2]}`],
  ['two segments', () => `Bearer ${HS256}.${claims()}`],
  ['four segments', () => `Bearer ${hs256(HS256, claims())}.${hmac('sha256', 'x')}`],
  ['empty signature', () => `Bearer ${HS256}.${claims()}.`],
  ['truncated signature', () => `Bearer ${hs256(HS256, claims()).slice(0, -2)}`],
  ['padded signature', () => `Bearer ${hs256(HS256, claims())}=`],
  ['standard base64 characters', () => `Bearer ${hs256(HS256, claims()).replace(/-/g, '+').replace(/_/g, '/')}x+/`],
  ['header not JSON', () => `Bearer ${hs256(b64('{"alg":"HS256"'), claims())}`],
  ['header a JSON array', () => `Bearer ${hs256(json(['HS256']), claims())}`],
  ['payload not JSON, correctly signed', () => `Bearer ${hs256(HS256, b64('acting_user_id=u1'))}`],
  ['payload a JSON array, correctly signed', () => `Bearer ${hs256(HS256, json([{ exp: now() + 900 }]))}`],
  ['payload not UTF-8, correctly signed', () => `Bearer ${hs256(HS256, b64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))}`],
  ['oversized token, correctly signed', () => `Bearer ${hs256(HS256, claims({ pad: 'p'.repeat(MAX_TOKEN_CHARS) }))}`],
  ['empty secret', () => `Bearer ${hs256(HS256, claims(), '')}`],
];

// Both ways a call is served: the express app, and the listener that answers calls ahead of it.
for (const [way, served] of [
  ['the express app', (h: AppsHttp) => h.app],
  ['the listener ahead of express', (h: AppsHttp) => h.listener],
] as const) {
  describe(`JWT faults: every one is 401 and no handler runs (${way})`, () => {
    let server: Server;
    let url: string;
    let handled = 0;
    const logger = createMemoryLogger({ secrets: [secret] });

    before(async () => {
      const config = loadConfig({ APP_JWT_SECRET: secret, APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_LOG_LEVEL: 'debug' });
      const counting: Handler = async () => {
        handled += 1;
        return { type: 'ok' };
      };
      server = createServer(served(appsHttp(createDeps(config, { logger }), new Map([['/status', counting]]))));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    const call = (authorization: string | undefined) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization !== undefined && { 'mattermost-app-authorization': authorization }) },
        body: JSON.stringify({ path: '/status', context: { acting_user: { id: USER } } }),
      });

    it('when the JWT is valid, then the handler runs once (the table below is not refused for another reason)', async () => {
      const res = await call(`Bearer ${hs256(HS256, claims({ nbf: now() - 5, iat: now() - 5 }))}`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { type: 'ok' });
      assert.equal(handled, 1);
    });

    for (const [name, header] of FAULTS) {
      it(`when the JWT is: ${name}, then 401 and no handler runs`, async () => {
        const before = handled;
        const authorization = header();
        const res = await call(authorization);
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { type: string }).type, 'error');
        assert.equal(handled, before);
        const signature = authorization?.split('.').pop() ?? '';
        for (const line of logger.lines) {
          assert.ok(!line.includes(secret), 'the secret is logged');
          if (signature.length > 20) assert.ok(!line.includes(signature), 'the token is logged');
        }
      });
    }
  });
}

describe('the JWT verifier on its own', () => {
  const at = 1_800_000_000;
  const verify = createJwtVerifier(secret, () => at * 1000 + 999);
  const token = (extra: Record<string, unknown>) => `Bearer ${hs256(HS256, json({ acting_user_id: USER, ...extra }))}`;

  it('when exp is the current second, then it is expired (no clock tolerance, as jose)', () => {
    assert.throws(() => verify(token({ exp: at })), JwtError);
    assert.deepEqual(verify(token({ exp: at + 1 })), { actingUserId: USER });
  });

  it('when exp is more than a day ahead or not finite, then it is refused for that reason; a day ahead and a fraction of a second pass', () => {
    const raw = (payload: string) => `Bearer ${hs256(HS256, b64(payload))}`;
    assert.throws(() => verify(token({ exp: at + MAX_JWT_LIFETIME_S + 1 })), /"exp" claim is more than 86400 seconds ahead/);
    assert.throws(() => verify(token({ exp: 1e300 })), /"exp" claim is more than 86400 seconds ahead/);
    assert.throws(() => verify(raw(`{"exp":1e400}`)), /"exp" claim must be a finite number/);
    assert.throws(() => verify(raw(`{"exp":${at + 60},"nbf":-1e400}`)), /"nbf" claim must be a finite number/);
    assert.deepEqual(verify(token({ exp: at + MAX_JWT_LIFETIME_S })), { actingUserId: USER });
    assert.deepEqual(verify(token({ exp: at + 60.5 })), { actingUserId: USER });
  });

  it('when nbf is the current second, then it is accepted; one second later, refused', () => {
    assert.deepEqual(verify(token({ exp: at + 60, nbf: at })), { actingUserId: USER });
    assert.throws(() => verify(token({ exp: at + 60, nbf: at + 1 })), JwtError);
  });

  it('when acting_user_id is absent, empty or not a string, then the caller names no user', () => {
    for (const acting of [undefined, '', 42]) assert.deepEqual(verify(token({ exp: at + 60, acting_user_id: acting })), {});
  });

  it('when it verifies, then it answers synchronously (no promise to await per call)', () => {
    assert.ok(!(verify(token({ exp: at + 60 })) instanceof Promise));
  });
});
