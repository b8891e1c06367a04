import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALL_EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import { APP_ID } from '../../src/hosts/apps/protocol/manifest.js';
import { CallPath } from '../../src/hosts/apps/protocol/paths.js';
import { signedCall } from '../security/support/signed.js';
import type { ScenarioUser } from './backend.js';
import { textOf } from './commands.js';
import { registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';
import { onAppsHost } from './hosts/index.js';

// On Apps plugin v1.2.2 any user can read the App's JWT secret; these are the calls such a user can then sign.
let world: World;
let mallory: ScenarioUser;
let leakedSecret: string;
const decoy = { hits: 0, server: undefined as Server | undefined, url: '' };

const ADMIN_VALUES = {
  preset: { label: 'OpenID Connect', value: 'oidc' },
  id: 'evil',
  display_name: 'Evil',
  client_id: 'c',
  client_secret: 's'.repeat(20),
  issuer: 'https://evil.example',
};
const adminPaths = [CallPath.providerList, CallPath.providerAdd, CallPath.providerTest, CallPath.providerRemove, CallPath.report];

function forgedBody(path: string, who: { id: string; username: string }, token: string, siteUrl = world.backend.siteUrl) {
  const context = {
    app_id: '',
    mattermost_site_url: siteUrl,
    acting_user: { id: who.id, username: who.username, roles: 'system_user system_admin' },
    acting_user_access_token: token,
    oauth2: {},
  };
  return { path, expand: CALL_EXPAND, values: ADMIN_VALUES, state: { provider: 'idp' }, context };
}
const providerListText = async () => textOf(await world.backend.call(world.backend.admin, { path: CallPath.providerList, expand: CALL_EXPAND }));

onAppsHost(() =>
  describe(`forged authority is refused (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
    before(async () => {
      world = await startWorld();
      mallory = await world.backend.createUser(`mallory${Date.now() % 100000}`);
      assert.equal((await registerTestProvider(world)).type, 'ok');
      decoy.server = createServer((_req, res) => {
        decoy.hits += 1;
        res.end(JSON.stringify({ id: world.backend.admin.id, roles: 'system_user system_admin' }));
      });
      await new Promise<void>((resolve) => decoy.server!.listen(0, '127.0.0.1', resolve));
      decoy.url = `http://127.0.0.1:${(decoy.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      decoy.server?.close();
      await world?.close();
    });

    it('when a normal user asks the Apps plugin for the App, then the answer carries the JWT secret (the exposure these refusals assume)', async () => {
      const res = await fetch(`${world.backend.siteUrl}/plugins/com.mattermost.apps/api/v1/apps/${APP_ID}`, {
        headers: { authorization: `Bearer ${mallory.token}` },
      });
      assert.equal(res.status, 200);
      leakedSecret = ((await res.json()) as { secret?: string }).secret ?? '';
      assert.equal(leakedSecret, world.app.config.jwtSecret);
    });

    it('when the leaked secret signs a JWT without acting_user_id for a body claiming the admin, then every admin path answers 401', async () => {
      const before = await providerListText();
      for (const path of adminPaths) {
        const answer = await signedCall(world.app.url, leakedSecret, path, forgedBody(path, world.backend.admin, mallory.token), undefined);
        assert.equal(answer.status, 401, path);
      }
      assert.equal(await providerListText(), before);
    });

    it("when a normal user signs their own id with roles system_admin in the body, or the admin's id with their own token, then Mattermost's answer refuses it", async () => {
      const before = await providerListText();
      for (const path of adminPaths) {
        const own = await signedCall(world.app.url, leakedSecret, path, forgedBody(path, mallory, mallory.token), mallory.id);
        assert.match(own.json?.text ?? '', /Only system admins/, `${path} as self`);
        const asAdmin = await signedCall(world.app.url, leakedSecret, path, forgedBody(path, world.backend.admin, mallory.token), world.backend.admin.id);
        assert.match(asAdmin.json?.text ?? '', /Only system admins/, `${path} as the admin`);
      }
      assert.equal(await providerListText(), before);
    });

    it('when a signed call names another Mattermost site URL, then it is refused and that site receives nothing', async () => {
      for (const path of [CallPath.providerAdd, CallPath.connect]) {
        const answer = await signedCall(
          world.app.url,
          leakedSecret,
          path,
          forgedBody(path, world.backend.admin, mallory.token, decoy.url),
          world.backend.admin.id,
        );
        assert.match(answer.json?.text ?? '', /another Mattermost server than the one the App is configured for/);
      }
      assert.equal(decoy.hits, 0);
    });

    it('when a normal user calls admin paths through the plugin, then each is refused; the admin through the plugin gets the list (Mattermost confirms the plugin token)', async () => {
      for (const path of adminPaths) {
        const answer = await world.backend.call(mallory, { path, expand: CALL_EXPAND, values: ADMIN_VALUES, state: { provider: 'idp' } });
        assert.match(textOf(answer), /Only system admins/, path);
      }
      const list = await world.backend.call(world.backend.admin, { path: CallPath.providerList, expand: CALL_EXPAND });
      assert.equal(list.type, 'ok', textOf(list));
      assert.match(textOf(list), /idp/);
    });
  }),
);
