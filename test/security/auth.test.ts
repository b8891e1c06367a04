import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_EXPAND as EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import { CallPath } from '../../src/hosts/apps/protocol/paths.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { ADMIN_PATHS } from './support/fuzz_values.js';
import { connect, pluginBody as body, register, say, summaryOf } from './support/flows.js';
import { JWT_FAULTS, signedCall } from './support/signed.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';
import { evilProviderValues } from './support/admin_values.js';

let world: SecurityWorld;
let alice: ScenarioUser;
let mallory: ScenarioUser;
const ALL_PATHS = Object.values(CallPath);
const ADMIN_EXPAND = EXPAND as Record<string, string>;

const pluginBody = (path: string, user: ScenarioUser, values: Record<string, unknown>, state?: unknown) => body(world, path, user, values, state);

let ADMIN_VALUES: Record<string, unknown>;

const callLines = () => world.app.logs.filter((l) => l.includes('"msg":"call"')).length;

describe('authentication and authorization', () => {
  before(async () => {
    world = await startSecurityWorld();
    alice = await world.backend.createUser('alice');
    mallory = await world.backend.createUser('mallory');
    await register(world);
    ADMIN_VALUES = evilProviderValues(world.provider.issuer);
    await connect(world, alice, 'alice-at-idp');
    await connect(world, mallory, 'mallory-at-idp');
  });
  after(() => world?.finish('auth'));

  it('when a call is signed correctly, then the same body stores (the control for the refusals below)', async () => {
    const writes = world.proxy.writes();
    const answer = await signedCall(
      world.app.url,
      world.app.config.jwtSecret!,
      CallPath.connect,
      pluginBody(CallPath.connect, alice, { provider: 'idp' }),
      alice.id,
    );
    assert.equal(answer.json.type, 'ok');
    assert.ok(world.proxy.writes() > writes);
  });

  it('when any path is called with a forged, expired, wrong-algorithm, none, tampered, not-yet-valid or missing JWT, then 401, no handler runs and nothing is sent', async () => {
    const [writes, lines, requests] = [world.proxy.writes(), callLines(), world.proxy.requests.length];
    let refused = 0;
    for (const path of ALL_PATHS) {
      for (const fault of JWT_FAULTS) {
        const answer = await signedCall(
          world.app.url,
          world.app.config.jwtSecret!,
          path,
          pluginBody(path, alice, { provider: 'idp', ...ADMIN_VALUES }),
          alice.id,
          fault,
        );
        assert.equal(answer.status, 401, `${path} with ${fault}`);
        assert.equal(answer.json.type, 'error');
        refused += 1;
      }
    }
    assert.deepEqual([world.proxy.writes(), callLines(), world.proxy.requests.length], [writes, lines, requests]);
    console.log(
      `[security] auth: ${refused} calls with a broken JWT (${ALL_PATHS.length} paths x ${JWT_FAULTS.length} faults): all 401, 0 requests to Mattermost`,
    );
  });

  it('when a non-admin calls every admin path directly or through the plugin, then each is refused and nothing is stored', async () => {
    const [writes, providers] = [world.proxy.writes(), JSON.stringify(world.backend.fake.state.oauth2App)];
    for (const path of ADMIN_PATHS) {
      const direct = await signedCall(
        world.app.url,
        world.app.config.jwtSecret!,
        path,
        pluginBody(path, mallory, ADMIN_VALUES, { provider: 'idp' }),
        mallory.id,
      );
      assert.equal(direct.status, 200);
      assert.match(direct.json.text ?? '', /Only system admins/, path);
      const viaPlugin = await world.backend.call(mallory, { path, expand: ADMIN_EXPAND, values: ADMIN_VALUES, state: { provider: 'idp' } });
      assert.match((viaPlugin as { text?: string }).text ?? '', /Only system admins/, path);
    }
    assert.equal(world.proxy.writes(), writes);
    assert.equal(JSON.stringify(world.backend.fake.state.oauth2App), providers);
    console.log(`[security] auth: ${ADMIN_PATHS.length} admin paths x 2 (direct, through the plugin) refused for a non-admin`);
  });

  it("when a user puts another user's id in every value and in state, then only their own account is reached", async () => {
    const [aliceRaw, aliceSummary] = [world.storedRaw(alice, 'idp'), JSON.stringify(summaryOf(world, alice))];
    const aliceTokens = world.storedTokens(alice, 'idp')!;
    const id = alice.id;
    const values = { provider: 'idp', user_id: id, acting_user: id, user: { label: 'alice', value: id }, state: `x.${id}`, account: id };
    const state = { user_id: id, acting_user: { id }, acting_user_id: id, provider: 'idp' };
    const fakeUrl = `${world.backend.siteUrl}/plugins/com.mattermost.apps/api/v1/call`;
    const answers: string[] = [];
    for (const path of [
      CallPath.whoami,
      CallPath.status,
      CallPath.panel,
      CallPath.connect,
      CallPath.providers,
      CallPath.providerLookup,
      CallPath.help,
      CallPath.disconnect,
    ]) {
      // The plugin ignores the client's context and expands the acting user's own.
      const res = await fetch(fakeUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          path,
          expand: ADMIN_EXPAND,
          values,
          state,
          context: { app_id: 'oauth2-connect', acting_user: { id }, acting_user_access_token: aliceTokens.access_token },
        }),
      });
      answers.push(await res.text());
    }
    assert.match(answers[0]!, /you are \*\*mallory-at-idp\*\*/);
    for (const text of answers) {
      assert.doesNotMatch(text, /alice-at-idp/);
      for (const secret of [aliceTokens.access_token, aliceTokens.refresh_token!]) assert.ok(!text.includes(secret));
    }
    assert.equal(world.storedRaw(alice, 'idp'), aliceRaw, "alice's token is untouched");
    assert.equal(JSON.stringify(summaryOf(world, alice)), aliceSummary, "alice's summary is untouched");
    assert.equal(world.storedRaw(mallory, 'idp'), undefined, "the disconnect removed only mallory's token");
    assert.match(await say(world, alice, ['whoami'], { provider: 'idp' }), /you are \*\*alice-at-idp\*\*/);
  });

  it("when a user who read the JWT secret signs calls whose context names another user, then the App's own checks refuse them with their reason and the other user's data is untouched", async () => {
    const trudy = await world.backend.createUser('trudy');
    await connect(world, trudy, 'trudy-at-idp');
    const [aliceRaw, aliceSummary] = [world.storedRaw(alice, 'idp'), JSON.stringify(summaryOf(world, alice))];
    // Trudy's own expanded context (her Mattermost token, her summary) with alice as the acting user.
    const forged = (path: string) => {
      const forgedBody = pluginBody(path, trudy, { provider: 'idp' });
      forgedBody.context.acting_user = { ...forgedBody.context.acting_user!, id: alice.id, username: alice.username };
      return forgedBody;
    };
    const sign = (path: string, actingUserId: string) => signedCall(world.app.url, world.app.config.jwtSecret!, path, forged(path), actingUserId);
    for (const path of [CallPath.whoami, CallPath.status, CallPath.connect, CallPath.disconnect, CallPath.panel]) {
      const asHerself = await sign(path, trudy.id);
      assert.equal(asHerself.status, 401, path);
      assert.equal(asHerself.json.text, 'Unauthorized: the acting user does not match the signed caller.', path);
    }
    // Signed as alice, the call still carries trudy's token: it reaches trudy's KV, whose token is sealed for trudy, not alice.
    const asAlice = await sign(CallPath.whoami, alice.id);
    assert.equal(asAlice.json.type, 'error');
    assert.match(asAlice.json.text ?? '', /connection no longer works: the stored token does not belong here/);
    assert.doesNotMatch(asAlice.json.text ?? '', /alice-at-idp|trudy-at-idp/);
    assert.equal(world.storedRaw(alice, 'idp'), aliceRaw, "alice's token is untouched");
    assert.equal(JSON.stringify(summaryOf(world, alice)), aliceSummary, "alice's summary is untouched");
  });
});
