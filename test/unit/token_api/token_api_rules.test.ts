/**
 * The token API's rules that need no service: the consent buttons' context
 * (forged, tampered, expired, another user's, from before the client's
 * registration time was signed), the per-client token bucket,
 * the client dialog's checks (scopes within the providers', CIDRs), and the
 * Apps host's answer to the client commands (it cannot serve tokens).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { NOT_ADMIN } from '../../../src/core/admin/admin_guard.js';
import { UserFacingError } from '../../../src/core/errors.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import type { CoreRequest } from '../../../src/core/request.js';
import { clientAdd, clientList } from '../../../src/core/token_api/client_admin.js';
import { clientSettings } from '../../../src/core/token_api/client_input.js';
import { fromAllowedSource } from '../../../src/util/address_sources.js';
import { grantsList } from '../../../src/core/token_api/grants.js';
import { TOKEN_API_ELSEWHERE } from '../../../src/core/token_api/types.js';
import { CONSENT_TTL_MS, signConsent, verifyConsent } from '../../../src/hosts/standalone/token_api/consent_context.js';
import { ClientRateLimiter } from '../../../src/hosts/standalone/token_api/rate_limit.js';
import { createMemoryLogger } from '../../../src/log/logger.js';

const ALICE = 'a'.repeat(26);
const MALLORY = 'm'.repeat(26);

describe('the consent context', () => {
  const key = randomBytes(32);
  const now = 1_000_000;
  const signed = signConsent(key, { user_id: ALICE, client_id: 'bot', client_created_at: 5, provider_id: 'idp', scopes: ['openid'] }, now);

  it('when the signed user clicks in time, then it holds with the decision of the button', () => {
    const allow = verifyConsent(key, signed.allow, ALICE, now + 1000);
    const deny = verifyConsent(key, signed.deny, ALICE, now + 1000);
    assert.ok(allow.ok && deny.ok);
    assert.deepEqual([allow.context.decision, deny.context.decision, allow.context.nonce === deny.context.nonce], ['allow', 'deny', true]);
  });

  it('when another user clicks, it expired, it was changed or signed with another key, then it is refused', () => {
    assert.deepEqual(verifyConsent(key, signed.allow, MALLORY, now), { ok: false, reason: 'This request was sent to another user.' });
    assert.equal(verifyConsent(key, signed.allow, ALICE, now + CONSENT_TTL_MS).ok, false);
    const [v, payload = '', mac] = signed.deny.split('.');
    const fields = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
    fields[5] = 'allow';
    assert.equal(verifyConsent(key, `${v}.${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${mac}`, ALICE, now).ok, false, 'deny turned allow');
    assert.equal(verifyConsent(randomBytes(32), signed.allow, ALICE, now).ok, false);
    for (const raw of [undefined, 42, '', 'c1..', `${signed.allow}.x`]) assert.equal(verifyConsent(key, raw, ALICE, now).ok, false);
  });

  it('when it names the client and its registration time, then the click reads both', () => {
    const check = verifyConsent(key, signed.allow, ALICE, now);
    assert.ok(check.ok);
    assert.deepEqual([check.context.client_id, check.context.client_created_at], ['bot', 5]);
  });

  it('when the request was sent in the format before the registration time was signed, then it is refused as outdated, and a forged one as forged', () => {
    const fields = [ALICE, 'bot', 'idp', ['openid'], 'allow', now + CONSENT_TTL_MS, 'n'.repeat(22)];
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    const outdated = `c1.${payload}.${createHmac('sha256', key).update(`c1.${payload}`).digest('base64url')}`;
    const refused = verifyConsent(key, outdated, ALICE, now);
    assert.ok(!refused.ok);
    assert.match(refused.reason, /before the service was upgraded[\s\S]*nothing was changed/);
    const forged = `c1.${payload}.${createHmac('sha256', randomBytes(32)).update(`c1.${payload}`).digest('base64url')}`;
    assert.deepEqual(verifyConsent(key, forged, ALICE, now), { ok: false, reason: 'This button is not one the service sent.' });
  });
});

describe('the per-client rate limit', () => {
  it('when a client spends its bucket, then it waits for the refill, and a clock that went back grants nothing', () => {
    const limiter = new ClientRateLimiter();
    const taken = [0, 0, 0, 0].map(() => limiter.take('c', 3, 0).allowed);
    assert.deepEqual(taken, [true, true, true, false]);
    assert.equal(limiter.take('c', 3, 0).retryAfterSeconds, 20);
    assert.equal(limiter.take('c', 3, -60_000).allowed, false);
    assert.equal(limiter.take('c', 3, 20_000).allowed, true);
    assert.equal(limiter.take('other', 3, 0).allowed, true, 'each client has its own bucket');
  });
});

describe("the client dialog's checks", () => {
  const idp = { id: 'idp', scopes: ['openid', 'profile'] } as StoredProvider;
  const fieldErrors = (values: Record<string, string>) => {
    try {
      clientSettings(values, [idp]);
      return {};
    } catch (err) {
      assert.ok(err instanceof UserFacingError);
      return err.fieldErrors ?? {};
    }
  };

  it("when the values hold, then scopes default to the providers' and the id follows the name", () => {
    assert.deepEqual(clientSettings({ name: 'Issue Bot!', providers: 'idp' }, [idp]), {
      id: 'issue-bot',
      name: 'Issue Bot!',
      providers: ['idp'],
      scopes: ['openid', 'profile'],
      sources: [],
      rate_per_minute: 600,
    });
  });

  it('when a provider, scope, source or rate is wrong, then each field says so', () => {
    assert.deepEqual(Object.keys(fieldErrors({ name: '', providers: 'nope', scopes: 'admin', sources: '10.0.0.0/33 x', rate_per_minute: '0' })).sort(), [
      'name',
      'providers',
      'rate_per_minute',
      'scopes',
      'sources',
    ]);
    assert.deepEqual(Object.keys(fieldErrors({ name: 'b', providers: 'idp', scopes: 'openid admin' })), ['scopes']);
  });

  it('when an address is checked against the sources, then only addresses inside them pass (IPv4-mapped too)', () => {
    assert.equal(fromAllowedSource([], '203.0.113.9'), true);
    assert.equal(fromAllowedSource(['10.0.0.0/8'], '10.1.2.3'), true);
    assert.equal(fromAllowedSource(['10.0.0.0/8'], '::ffff:10.1.2.3'), true);
    assert.equal(fromAllowedSource(['10.0.0.0/8'], '127.0.0.1'), false);
    assert.equal(fromAllowedSource(['10.0.0.0/8'], undefined), false);
    assert.equal(fromAllowedSource(['fd00::/8', '192.0.2.1'], 'fd00::1'), true);
  });
});

describe('the client commands where there is no token API (the Apps host)', () => {
  const deps = { engine: {} as never, sealer: {} as never, logger: createMemoryLogger(), now: Date.now };
  const request = (isAdmin: boolean): CoreRequest => ({ user: { id: ALICE, isAdmin }, values: { name: 'x', providers: 'idp' } }) as unknown as CoreRequest;

  it('when an admin runs them, then they say the token API lives on the standalone host; a user is refused first', async () => {
    await assert.rejects(clientAdd(request(true), deps), (err: unknown) => err instanceof UserFacingError && err.message === TOKEN_API_ELSEWHERE);
    await assert.rejects(clientList(request(true)), (err: unknown) => err instanceof UserFacingError && err.message === TOKEN_API_ELSEWHERE);
    await assert.rejects(clientAdd(request(false), deps), (err: unknown) => err instanceof UserFacingError && err.message === NOT_ADMIN);
    assert.deepEqual(await grantsList(request(false), deps as never), { text: TOKEN_API_ELSEWHERE });
  });
});
