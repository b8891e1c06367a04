import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BOT_USERNAME, INSTALLATION_ID_PROP, SERVICE_URL_PROP } from '../../../src/hosts/standalone/setup/names.js';
import { ROOT, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.close());

const bot = () => [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME)!;

describe("setup records the service's address for the webapp plugin (fake Mattermost)", () => {
  it("when run first, then the bot's user record carries APP_ROOT_URL (a regular bot's record, which only edit_other_users may change)", async () => {
    const report = await w.run();
    assert.deepEqual(report.problems, []);
    assert.equal(bot().props?.[SERVICE_URL_PROP], ROOT);
    assert.doesNotMatch(bot().roles, /system_admin/);
    assert.match(
      report.done.join('\n'),
      new RegExp(`recorded the service's address ${ROOT} on @${BOT_USERNAME} for the webapp plugin \\(it says none before\\)`),
    );
  });

  it("when the bot's record already has other props, then they are kept", async () => {
    await w.run();
    bot().props = { ...bot().props, customStatus: '{"text":"on call"}' };
    await w.run('apply', { rootUrl: 'https://connect.example.test' });
    assert.deepEqual(bot().props, {
      customStatus: '{"text":"on call"}',
      [SERVICE_URL_PROP]: 'https://connect.example.test',
      [INSTALLATION_ID_PROP]: w.store.installation!.installation_id,
    });
  });

  it('when the service moves to another root URL, then --check reports the stale address and apply replaces it', async () => {
    await w.run();
    w.mm.state.calls.length = 0;
    const check = await w.run('check', { rootUrl: 'https://connect.example.test/' });
    assert.deepEqual(
      check.problems.filter((p) => p.what.includes('address')),
      [
        {
          what: `@${BOT_USERNAME} does not tell the webapp plugin the service's address https://connect.example.test (it says ${ROOT})`,
          fix: 'run oauth2-connect setup',
        },
      ],
    );
    assert.deepEqual(w.mm.state.writes(), []);
    await w.run('apply', { rootUrl: 'https://connect.example.test/' });
    assert.equal(bot().props?.[SERVICE_URL_PROP], 'https://connect.example.test');
  });

  it('when the address is already recorded, then a run leaves the record alone and says it is fine', async () => {
    await w.run();
    w.mm.state.calls.length = 0;
    const report = await w.run();
    assert.ok(!w.mm.state.writes().some((c) => c.endsWith('/patch')));
    assert.ok(report.fine.includes(`@${BOT_USERNAME} tells the webapp plugin the service's address ${ROOT}`));
  });
});
