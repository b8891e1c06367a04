/**
 * Copying users to the standalone host from the bindings call, on the fake
 * Apps plugin, on SQLite and PostgreSQL: the plugin calls /bindings for every
 * user as they use Mattermost, so once user copying is on, a user who runs no
 * command is copied too. While it is off, a bindings call asks nothing more of
 * Mattermost; once a user is copied, their bindings calls ask nothing more
 * either. A change on the Apps host is marked in the standalone storage, so a
 * copy that could not follow it at once is made after a restart, and by a
 * process that had found the user copied before the change.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DONE_KEPT_MS } from '../../src/hosts/apps/calls/user_copier.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { connectUntilRedirect, registerTestProvider } from '../scenarios/steps.js';
import { startMoveWorld, type MoveWorld } from '../support/apps_move_world.js';
import { BACKENDS } from '../support/standalone_db.js';

const HOUR = 3600 * 1000;
const USER_BINDINGS = 'GET /plugins/com.mattermost.apps/api/v1/bindings';
const WHO_AM_I = 'GET /api/v4/users/me';

for (const storage of BACKENDS) {
  describe(`copying users from the bindings call [${storage}]`, () => {
    let w: MoveWorld;
    let dave: ScenarioUser;
    let erin: ScenarioUser;
    const apps = (user: ScenarioUser, words: string[], values: Record<string, string> = {}) => runCommand(w.apps, user, words, values).then(textOf);
    const target = () => w.service().standalone!.repositories;
    const settled = () => w.service().deps.userCopies!.idle();
    /** The user's bindings, as the webapp loads them, and what the fake plugin's server was asked meanwhile. */
    const loadBindings = async (user: ScenarioUser, times = 1) => {
      w.pluginRequests.length = 0;
      for (let i = 0; i < times; i += 1) assert.ok((await w.apps.bindings(user)).length > 0);
      await settled();
      return [...w.pluginRequests];
    };
    const copiedAccessToken = async (user: ScenarioUser) => (await target().connections.get(user.id, 'idp'))?.tokens.access_token;

    before(async () => {
      w = await startMoveWorld(storage);
      dave = await w.createUser('dave');
      erin = await w.createUser('erin');
      assert.equal((await registerTestProvider(w.appsWorld)).type, 'ok');
      for (const [user, login] of [
        [dave, 'dave-at-idp'],
        [erin, 'erin-at-idp'],
      ] as const) {
        const done = await (await connectUntilRedirect(w.appsWorld, user, login)).complete();
        assert.equal(done.status, 200, done.text);
      }
      await settled();
    });
    after(async () => {
      await w?.close();
    });

    it('when user copying is off, then a bindings call asks Mattermost nothing more and copies nothing', async () => {
      assert.deepEqual(await loadBindings(dave, 3), [USER_BINDINGS, USER_BINDINGS, USER_BINDINGS]);
      assert.equal(await target().appsImport.visited(dave.id), false);
    });

    it('when user copying is on, then a user who only loads their bindings is copied, once: their later bindings ask nothing more', async () => {
      assert.match(await apps(w.apps.admin, ['migrate', 'providers']), /copied\./);
      assert.match(await apps(w.apps.admin, ['migrate', 'users']), /User copying is now on/);
      await settled();
      const first = await loadBindings(dave);
      assert.equal(first.filter((r) => r === WHO_AM_I).length, 1, 'Mattermost is asked whose token it is');
      assert.equal((await target().connections.get(dave.id, 'idp'))?.connection.label, 'dave-at-idp');
      assert.deepEqual(await loadBindings(dave, 3), [USER_BINDINGS, USER_BINDINGS, USER_BINDINGS]);
    });

    it("when a refresh on the Apps host could not be copied at once, then after a restart the user's next bindings call copies it", async () => {
      await loadBindings(erin);
      const copiedBefore = await copiedAccessToken(erin);
      assert.ok(copiedBefore);
      w.faults.me = true;
      w.clock.offsetMs = 2 * HOUR;
      try {
        assert.match(await apps(erin, ['whoami'], { provider: 'idp' }), /you are \*\*erin-at-idp\*\*/);
        await settled();
      } finally {
        w.faults.me = false;
      }
      assert.equal(await copiedAccessToken(erin), copiedBefore, 'the copy after the refresh failed');
      assert.ok((await target().appsImport.copyDue(erin.id))?.mark, 'the change is marked in the storage');
      await w.restart();
      await loadBindings(erin);
      assert.notEqual(await copiedAccessToken(erin), copiedBefore, 'the refreshed token was copied');
      assert.equal(await target().appsImport.copyDue(erin.id), undefined, 'the mark is cleared');
      w.clock.offsetMs = 0;
    });

    it('when another process marks a change of a user this one found copied, then this one copies it once it asks again', async () => {
      assert.deepEqual(await loadBindings(dave), [USER_BINDINGS], 'dave was found copied after the restart');
      await target().appsImport.markChanged(dave.id);
      assert.deepEqual(await loadBindings(dave), [USER_BINDINGS], 'not asked again yet');
      w.clock.offsetMs = DONE_KEPT_MS + 1;
      try {
        assert.ok((await loadBindings(dave)).includes(WHO_AM_I), 'copied again');
        assert.equal(await target().appsImport.copyDue(dave.id), undefined);
      } finally {
        w.clock.offsetMs = 0;
      }
    });
  });
}
