// The upgrade from the Apps host to the standalone host on a real Mattermost
// with the real Apps plugin: a provider and a connected user on the Apps host
// are copied while both hosts run in one service; then the Apps plugin is
// disabled on that same server (as v12 does), the service restarts with the
// standalone host alone on the same storage, and the copied user's whoami
// works without reconnecting while a user who was never copied is told to
// reconnect. The server is this file's own: it ends without the Apps plugin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScenarioUser } from '../scenarios/backend.js';
import { runCommand, textOf } from '../scenarios/commands.js';
import { connectUntilRedirect } from '../scenarios/steps.js';
import { startAppsMoveWorld, type AppsMoveWorld } from './harness/apps_move_world.js';
import * as mm from './harness/mm_api.js';

describe('from the Apps host to the standalone host on a real Mattermost', { timeout: 10 * 60_000 }, () => {
  let w: AppsMoveWorld;
  let alice: ScenarioUser;
  let bob: ScenarioUser;

  /** `/oauth2 <text>` typed by the user, once the Apps plugin is off: Mattermost runs the team's custom command. */
  const typed = async (user: ScenarioUser, text: string) => {
    const session = await mm.login(w.server.directUrl, user.username);
    const answer = await session.client.json<{ text?: string }>('POST', '/api/v4/commands/execute', {
      command: `/oauth2 ${text}`,
      channel_id: w.channelId,
      team_id: w.teamId,
    });
    return answer.text ?? '';
  };

  before(async () => {
    w = await startAppsMoveWorld('v12move');
    alice = await w.backend.createUser(`alice${Date.now() % 100000}`);
    bob = await w.backend.createUser(`bob${Date.now() % 100000}`);
    for (const [user, login] of [
      [alice, 'alice-at-idp'],
      [bob, 'bob-at-idp'],
    ] as const) {
      const done = await (await connectUntilRedirect(w.world, user, login)).complete();
      assert.equal(done.status, 200, done.text);
    }
  });
  after(async () => {
    await w?.close();
  });

  it('when the admin copies the providers and turns on user copying, and alice uses the App, then her connection is copied', async () => {
    assert.match(textOf(await runCommand(w.backend, w.backend.admin, ['migrate', 'providers'])), /`idp`\): copied\./);
    assert.match(textOf(await runCommand(w.backend, w.backend.admin, ['migrate', 'users'])), /User copying is now on/);
    assert.match(textOf(await runCommand(w.backend, alice, ['status'])), /connected as \*\*alice-at-idp\*\*/);
    await w.service().deps.userCopies!.idle();
    assert.match(textOf(await runCommand(w.backend, w.backend.admin, ['migrate', 'status'])), /Users copied: \*\*1\*\* of 2/);
  });

  it('when the Apps plugin is disabled and the standalone host serves alone, then alice is connected without reconnecting and bob is told to reconnect', async () => {
    await w.admin.client.json('POST', '/api/v4/plugins/com.mattermost.apps/disable');
    await w.restart('standalone');
    assert.match(await typed(alice, 'whoami idp'), /you are \*\*alice-at-idp\*\*/);
    assert.match(await typed(bob, 'status'), /connection from before the Mattermost upgrade was not carried over: reconnect with `\/oauth2 connect idp`/);
    for (const secret of [w.key, w.jwtSecret, w.provider.clients.basic.client_secret!]) assert.ok(!w.logger.lines.some((l) => l.includes(secret)));
  });

  it('when the admin reads /oauth2 audit on the standalone host, then it lists what was done on the Apps host before the upgrade, and bob reads nothing', async () => {
    const text = await typed(w.backend.admin, 'audit');
    assert.match(text, /migrate\.providers \|[^|\n]*\| ok/);
    assert.match(text, /migrate\.users \|[^|\n]*\| ok/);
    assert.match(await typed(bob, 'audit'), /Only system admins/);
  });
});
