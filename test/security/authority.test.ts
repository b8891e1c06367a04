import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallPath } from '../../src/hosts/apps/protocol/paths.js';
import { NO_USER_PATHS } from '../../src/hosts/apps/http/caller_checks.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { ADMIN_PATHS } from './support/fuzz_values.js';
import { pluginBody, register } from './support/flows.js';
import { signedCall } from './support/signed.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';
import { evilProviderValues } from './support/admin_values.js';

// In Apps plugin v1.2.2 any user can read the JWT secret: these calls are what such a user can sign.
let world: SecurityWorld;
let admin: ScenarioUser;
let mallory: ScenarioUser;
let attacker: { url: string; hits: number; server: Server };

let ADMIN_VALUES: Record<string, unknown>;
const sign = (path: string, body: unknown, actingUserId?: string) => signedCall(world.app.url, world.app.config.jwtSecret!, path, body, actingUserId);
const providersStored = () => JSON.stringify(world.backend.fake.state.oauth2App);

async function startAttackerSite() {
  const site = {
    url: '',
    hits: 0,
    server: createServer((_req, res) => {
      site.hits += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: admin.id, roles: 'system_user system_admin', changed: true }));
    }),
  };
  await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
  return site;
}

describe('authority comes from Mattermost, never from the call body', () => {
  before(async () => {
    world = await startSecurityWorld();
    admin = world.backend.admin;
    mallory = await world.backend.createUser('mallory');
    await register(world);
    ADMIN_VALUES = evilProviderValues(world.provider.issuer);
    attacker = await startAttackerSite();
  });
  after(async () => {
    attacker?.server.close();
    await world?.finish('authority');
  });

  it('when a JWT without acting_user_id reaches a path the plugin always calls with a user, with a body claiming an admin, then 401 and nothing is sent', async () => {
    const [requests, providers] = [world.proxy.requests.length, providersStored()];
    const paths = Object.values(CallPath).filter((p) => !NO_USER_PATHS.has(p));
    for (const path of paths) {
      const body = pluginBody(world, path, admin, ADMIN_VALUES, { provider: 'idp' });
      const answer = await sign(path, body, undefined);
      assert.equal(answer.status, 401, path);
      assert.equal(answer.json.type, 'error');
    }
    assert.equal(world.proxy.requests.length, requests, 'no request reached Mattermost');
    assert.equal(providersStored(), providers);
  });

  it('when a JWT without acting_user_id reaches /ping or the OAuth2 paths, then /ping answers and the others see no acting user at all', async () => {
    assert.deepEqual((await sign(CallPath.ping, { context: {} })).json, { type: 'ok' });
    const requests = world.proxy.requests.length;
    for (const path of [CallPath.oauth2Connect, CallPath.oauth2Complete]) {
      const answer = await sign(path, pluginBody(world, path, mallory, { state: `x.${mallory.id}`, code: 'c' }), undefined);
      assert.equal(answer.status, 200);
      assert.match(answer.json.text, /needs a signed-in Mattermost user/, path);
    }
    assert.equal(world.proxy.requests.length, requests, "the body's acting user token was not used");
  });

  it('when a non-admin signs calls whose body claims system_admin, then every admin path is refused because Mattermost says otherwise', async () => {
    const [writes, providers] = [world.proxy.writes(), providersStored()];
    for (const path of ADMIN_PATHS) {
      const body = pluginBody(world, path, mallory, ADMIN_VALUES, { provider: 'idp' });
      (body.context.acting_user as { roles: string }).roles = 'system_user system_admin';
      const answer = await sign(path, body, mallory.id);
      assert.equal(answer.status, 200);
      assert.match(answer.json.text ?? '', /Only system admins/, path);
    }
    assert.equal(world.proxy.writes(), writes);
    assert.equal(providersStored(), providers);
  });

  it("when a non-admin signs as the admin but sends their own token, then Mattermost names the token's owner and the call is refused", async () => {
    const body = pluginBody(world, CallPath.providerList, admin, {});
    body.context.acting_user_access_token = pluginBody(world, CallPath.providerList, mallory, {}).context.acting_user_access_token;
    const answer = await sign(CallPath.providerList, body, admin.id);
    assert.match(answer.json.text ?? '', /Only system admins/);
  });

  it('when the real admin calls with the context the plugin expands, then the admin path works (the control)', async () => {
    const answer = await sign(CallPath.providerList, pluginBody(world, CallPath.providerList, admin, {}), admin.id);
    assert.equal(answer.json.type, 'ok', answer.json.text);
  });

  it('when a signed call names another Mattermost site URL, then it is refused with a clear error and the other site gets nothing', async () => {
    const providers = providersStored();
    for (const path of [CallPath.providerAdd, CallPath.providerList, CallPath.connect, CallPath.status]) {
      const body = pluginBody(world, path, admin, ADMIN_VALUES);
      body.context.mattermost_site_url = attacker.url;
      const answer = await sign(path, body, admin.id);
      assert.equal(answer.json.type, 'error', path);
      assert.match(answer.json.text, /another Mattermost server than the one the App is configured for \(APP_MATTERMOST_URL\)/);
    }
    assert.equal(attacker.hits, 0);
    assert.equal(providersStored(), providers);
  });
});
