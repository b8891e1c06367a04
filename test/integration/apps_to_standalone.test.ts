/**
 * The upgrade from Mattermost v11 (Apps host) to v12 (standalone host) with
 * nothing lost, on the fakes, on SQLite and PostgreSQL: an admin copies the
 * providers and turns on user copying; a user's call copies their connection
 * (and a refresh on the Apps host copies it again); then the Apps host is
 * gone, and that user's whoami and refresh work on the standalone host,
 * while a user who was never copied is told to reconnect, and does.
 * Insiders try to run the copy, turn it on, or copy someone else's connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openProvider } from '../../src/core/providers.js';
import { CALL_EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import { completeUrl } from '../../src/hosts/standalone/providers.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import type { Person } from '../scenarios/host.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { standaloneFlow } from '../scenarios/hosts/standalone_flow.js';
import { connectUntilRedirect, registerTestProvider } from '../scenarios/steps.js';
import { signedCall } from '../security/support/signed.js';
import { startMoveWorld, type MoveWorld } from '../support/apps_move_world.js';
import { BACKENDS } from '../support/standalone_db.js';

const HOUR = 3600 * 1000;
const LINK = /\]\((https?:\/\/[^)\s]+\/standalone\/connect\?[^)\s]+)\)/;

for (const storage of BACKENDS) {
  describe(`moving from the Apps host to the standalone host [${storage}]`, () => {
    let w: MoveWorld;
    let alice: ScenarioUser;
    let bob: ScenarioUser;
    let mallory: ScenarioUser;
    let carol: ScenarioUser;
    const apps = (user: ScenarioUser, words: string[], values: Record<string, string> = {}) => runCommand(w.apps, user, words, values).then(textOf);
    const standalone = async (user: Person, text: string) => (await w.mm.execute(user, text)).text;
    const target = () => w.service().standalone!.repositories;
    const copiesSettled = () => w.service().deps.userCopies!.idle();
    /** A call as the Apps plugin would send it, signed by whoever holds the (leaked) JWT secret. */
    const forged = (path: string, who: ScenarioUser, token: string) => ({
      path,
      expand: CALL_EXPAND,
      context: {
        app_id: 'oauth2-connect',
        mattermost_site_url: w.apps.siteUrl,
        acting_user: { id: who.id, username: who.username, roles: 'system_user system_admin' },
        acting_user_access_token: token,
        oauth2: {},
      },
    });

    before(async () => {
      w = await startMoveWorld(storage);
      alice = await w.createUser('alice');
      bob = await w.createUser('bob');
      mallory = await w.createUser('mallory');
      carol = await w.createUser('carol');
      assert.equal((await registerTestProvider(w.appsWorld)).type, 'ok');
      for (const [user, login] of [
        [alice, 'alice-at-idp'],
        [bob, 'bob-at-idp'],
        [mallory, 'mallory-at-idp'],
        [carol, 'carol-at-idp'],
      ] as const) {
        const done = await (await connectUntilRedirect(w.appsWorld, user, login)).complete();
        assert.equal(done.status, 200, done.text);
      }
    });
    after(async () => {
      await w?.close();
    });

    it('when a non-admin asks the App to copy or to turn on user copying, even with roles claimed in a signed call, then it is refused and nothing is copied', async () => {
      for (const path of ['/migrate/providers', '/migrate/users']) {
        const through = await w.apps.call(mallory, { path, expand: CALL_EXPAND });
        assert.match(textOf(through), /Only system admins/, path);
        const signed = await signedCall(w.root, w.jwtSecret, path, forged(path, mallory, mallory.token), mallory.id);
        assert.match(signed.json?.text ?? '', /Only system admins/, `${path}, signed`);
        const asAdmin = await signedCall(w.root, w.jwtSecret, path, forged(path, w.apps.admin, mallory.token), w.apps.admin.id);
        assert.match(asAdmin.json?.text ?? '', /Only system admins/, `${path}, naming the admin with mallory's token`);
      }
      assert.deepEqual(await target().providers.list(), []);
      assert.equal(await target().appsImport.usersEnabled(), false);
    });

    it('when the admin turns on user copying before copying the providers, then it is refused', async () => {
      assert.match(await apps(w.apps.admin, ['migrate', 'users']), /Copy the providers first/);
      assert.equal(await target().appsImport.usersEnabled(), false);
    });

    it('when the admin copies the providers twice, then the first run copies them with a secret the standalone host opens, and the second finds them copied', async () => {
      assert.match(await apps(w.apps.admin, ['migrate', 'providers']), /\*\*Test IdP\*\* \(`idp`\): copied\./);
      assert.match(await apps(w.apps.admin, ['migrate', 'providers']), /`idp`\): already copied, unchanged\./);
      const [copied] = await target().providers.list();
      assert.equal(copied?.id, 'idp');
      const secret = w.provider.clients.basic.client_secret!;
      assert.ok(!copied!.sealed_secret!.includes(secret), 'the secret is sealed');
      const opened = openProvider(copied!, { sealer: w.service().standalone!.deps!.sealer, logger: w.service().deps.logger });
      assert.equal(opened.client_secret, secret, "the standalone host's sealer opens it");
    });

    it('when user copying is on and a user uses the App, then their connection is copied once, and no one is copied before their own call', async () => {
      assert.match(await apps(w.apps.admin, ['migrate', 'users']), /User copying is now on/);
      assert.match(await apps(w.apps.admin, ['migrate', 'users']), /User copying was on already/);
      assert.deepEqual(await target().connections.summaries(alice.id), {});
      assert.match(await apps(alice, ['status']), /connected as \*\*alice-at-idp\*\*/);
      await copiesSettled();
      const row = await target().connections.get(alice.id, 'idp');
      assert.equal(row?.connection.label, 'alice-at-idp');
      assert.equal(await target().appsImport.visited(alice.id), true);
      assert.deepEqual(await target().connections.summaries(bob.id), {}, 'bob has not used the App');
    });

    it("when mallory signs a call naming bob with her own token, or sends bob's own token under a bad JWT, then nothing is copied for bob", async () => {
      const named = await signedCall(w.root, w.jwtSecret, '/bindings', forged('/bindings', bob, mallory.token), bob.id);
      assert.equal(named.status, 200);
      const badJwt = await signedCall(w.root, w.jwtSecret, '/bindings', forged('/bindings', bob, bob.token), bob.id, 'other_secret');
      assert.equal(badJwt.status, 401);
      await copiesSettled();
      assert.deepEqual(await target().connections.summaries(bob.id), {});
      assert.equal(await target().appsImport.visited(bob.id), false);
      assert.ok(w.logs.some((l) => l.includes('a call named another user than its token')));
      assert.deepEqual(await target().connections.summaries(mallory.id), {}, "mallory's own call named bob: hers is not copied either");
    });

    it('when a copied user disconnects on the Apps host, then the copy is deleted too, and she is not told to reconnect after the upgrade', async () => {
      await apps(carol, ['status']);
      await copiesSettled();
      assert.ok(await target().connections.get(carol.id, 'idp'));
      assert.match(await apps(carol, ['disconnect'], { provider: 'idp' }), /Disconnected|disconnected/);
      await copiesSettled();
      assert.equal(await target().connections.get(carol.id, 'idp'), undefined);
      assert.deepEqual(await target().appsImport.notCopied(carol.id), []);
    });

    it('when a copied user refreshes on the Apps host, then the copy follows the rotated token; the admins see the progress', async () => {
      w.clock.offsetMs = 2 * HOUR;
      const before = w.provider.counters.refresh;
      assert.match(await apps(alice, ['whoami'], { provider: 'idp' }), /you are \*\*alice-at-idp\*\*/);
      assert.equal(w.provider.counters.refresh, before + 1);
      await copiesSettled();
      const status = await apps(w.apps.admin, ['migrate', 'status']);
      assert.match(status, /Users copied: \*\*1\*\* of 3/);
      assert.match(status, /User copying: on since/);
      assert.match(await apps(w.apps.admin, ['report']), /Copied to the standalone host: \*\*1\*\* of 3 users/);
    });

    it('after the upgrade, the copied user is connected on the standalone host: whoami, and a refresh with the copied refresh token', async () => {
      await w.upgrade();
      assert.match(await standalone(alice, 'whoami idp'), /you are \*\*alice-at-idp\*\*/);
      w.clock.offsetMs = 4 * HOUR;
      const before = w.provider.counters.refresh;
      assert.match(await standalone(alice, 'whoami idp'), /you are \*\*alice-at-idp\*\*/);
      assert.equal(w.provider.counters.refresh, before + 1, 'the refresh token the Apps host rotated last was copied');
      w.clock.offsetMs = 0;
    });

    it('after the upgrade, a user who was never copied is told to reconnect with one command, and connecting works with the copied client secret', async () => {
      assert.match(
        await standalone(bob, 'status'),
        /Test IdP connection from before the Mattermost upgrade was not carried over: reconnect with `\/oauth2 connect idp`/,
      );
      assert.match(await standalone(bob, 'whoami idp'), /not carried over: reconnect with `\/oauth2 connect idp`/);
      const link = LINK.exec(await standalone(bob, 'connect idp'))?.[1];
      assert.ok(link);
      const flow = await standaloneFlow({
        link,
        cookies: w.mm.browserCookies(bob),
        provider: w.provider,
        redirectUri: completeUrl(w.root, 'idp'),
        login: 'bob-at-idp',
        deny: false,
        completed: /Connected as .+ You can close this window\./s,
      });
      assert.equal((await flow.complete()).completed, true);
      assert.match(await standalone(bob, 'whoami idp'), /you are \*\*bob-at-idp\*\*/);
      assert.doesNotMatch(await standalone(bob, 'status'), /not carried over/);
    });

    it('after the upgrade, a team admin holding the command token and triggers signed for them is refused the progress', async () => {
      const kit = await w.mm.teamAdminKit(mallory);
      const res = await fetch(`${w.root}/standalone/command`, {
        method: 'POST',
        body: new URLSearchParams({ ...w.mm.commandFields(mallory, 'migrate status', await kit.ownTrigger()), token: kit.commandToken }),
      });
      assert.match(((await res.json()) as { text: string }).text, /Only system admins/);
    });

    it('after the upgrade, an admin still reads the progress, and no log line holds a secret or a token', async () => {
      assert.match(await standalone(w.mm.admin, 'migrate status'), /Users copied: \*\*1\*\* of 3/);
      assert.match(await standalone(w.mm.admin, 'migrate providers'), /Copying runs on the Apps host/);
      const tokens = (await target().connections.get(alice.id, 'idp'))!.tokens;
      for (const secret of [...w.secrets(), tokens.access_token, tokens.refresh_token!]) {
        assert.ok(!w.logs.some((l) => l.includes(secret)), 'a log line holds a secret');
      }
    });
  });
}
