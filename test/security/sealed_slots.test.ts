/**
 * Sealed values belong to one slot (SECURITY.md): a token or client
 * secret copied into another user's or provider's slot fails to open with
 * "does not belong here", nothing is deleted and nothing is sent to the
 * provider; values of the first, unbound format keep working and are re-sealed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ScenarioUser } from '../scenarios/backend.js';
import { openTokens, sealV1 } from '../support/sealed_slots.js';
import { command, connect, register, say, summaryOf, textOf } from './support/flows.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
let erin: ScenarioUser;
let frank: ScenarioUser;
const key = randomBytes(32);

const kv = () => world.backend.fake.state;
const tokenKey = (user: ScenarioUser, provider: string) => kv().kvKey(user.id, 't', provider);
const providers = () => (kv().oauth2App?.data as { providers: Array<Record<string, unknown>> }).providers;
const sent = () => ({ ...world.provider.counters });

describe('sealed values are bound to their slot', () => {
  before(async () => {
    world = await startSecurityWorld({ env: { APP_ENCRYPTION_KEY: key.toString('base64'), APP_ENCRYPTION_KEY_ID: 'k1' } });
    erin = await world.backend.createUser('erin');
    frank = await world.backend.createUser('frank');
    await register(world);
    await register(world, 'idp2');
    await connect(world, erin, 'erin');
    await connect(world, frank, 'frank');
    await connect(world, erin, 'erin', 'idp2');
  });
  after(() => world?.finish('sealed slots'));

  it("when erin's token is copied into frank's slot, then frank's whoami says it does not belong here, nothing is deleted and nothing reaches the provider", async () => {
    const copied = kv().kv.get(tokenKey(erin, 'idp'))!;
    const franksOwn = kv().kv.get(tokenKey(frank, 'idp'))!;
    kv().kv.set(tokenKey(frank, 'idp'), copied);
    const before = sent();
    const answer = await command(world, frank, ['whoami'], { provider: 'idp' });
    assert.equal(answer.type, 'error');
    assert.match(textOf(answer), /does not belong here/);
    assert.match(textOf(answer), /[Rr]econnect/);
    assert.doesNotMatch(textOf(answer), /erin/);
    assert.deepEqual(sent(), before, 'no request reached the provider');
    assert.equal(kv().kv.get(tokenKey(frank, 'idp')), copied, 'the copied value is kept, not deleted');
    assert.ok(kv().kv.get(tokenKey(erin, 'idp')), "erin's token is untouched");
    assert.match(await say(world, frank, ['status']), /does not belong here/);
    kv().kv.set(tokenKey(frank, 'idp'), franksOwn);
  });

  it("when erin's token of one provider is copied into her slot of another, then it does not open there", async () => {
    const own = kv().kv.get(tokenKey(erin, 'idp2'))!;
    kv().kv.set(tokenKey(erin, 'idp2'), kv().kv.get(tokenKey(erin, 'idp'))!);
    const before = sent();
    assert.match(textOf(await command(world, erin, ['whoami'], { provider: 'idp2' })), /does not belong here/);
    assert.deepEqual(sent(), before);
    kv().kv.set(tokenKey(erin, 'idp2'), own);
  });

  it("when one provider's sealed client secret is copied into another's record, then using it fails with does not belong here and nothing is sent", async () => {
    const [idp, idp2] = [providers().find((p) => p.id === 'idp')!, providers().find((p) => p.id === 'idp2')!];
    const own = idp2.sealed_secret;
    idp2.sealed_secret = idp.sealed_secret;
    try {
      const before = sent();
      const answer = await command(world, erin, ['whoami'], { provider: 'idp2' });
      assert.equal(answer.type, 'error');
      assert.match(textOf(answer), /does not belong here/);
      assert.deepEqual(sent(), before);
    } finally {
      idp2.sealed_secret = own;
    }
  });

  it('when a token and a client secret are stored in the first (v1, unbound) format, then they still work and the token is re-sealed bound', async () => {
    const raw = kv().kv.get(tokenKey(erin, 'idp'))!;
    const tokens = openTokens(world.app.deps.sealer, kv().oauth2App?.data, erin.id, 'idp', (JSON.parse(raw) as { s: string }).s);
    kv().kv.set(tokenKey(erin, 'idp'), JSON.stringify({ v: 1, s: sealV1('k1', key, JSON.stringify(tokens)) }));
    const idp = providers().find((p) => p.id === 'idp')!;
    idp.sealed_secret = sealV1('k1', key, world.provider.clients.basic.client_secret!);
    assert.match(await say(world, erin, ['whoami'], { provider: 'idp' }), /you are \*\*erin\*\*/);
    const resealed = (JSON.parse(kv().kv.get(tokenKey(erin, 'idp'))!) as { s: string }).s;
    assert.match(resealed, /^v2\.k1\./, 'the token is re-sealed in the bound format');
    assert.equal(openTokens(world.app.deps.sealer, kv().oauth2App?.data, erin.id, 'idp', resealed).refresh_token, tokens.refresh_token);
    assert.ok(summaryOf(world, erin)?.connections?.idp && !summaryOf(world, erin)?.connections?.idp?.broken);
  });
});
