import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMattermostBot, NotInstalledError } from '../../../src/hosts/standalone/bot.js';
import { startFakeMattermost, type FakeMattermost } from '../../support/standalone/fake_mattermost.js';
import { MemoryInstallation } from '../../support/standalone/memory_stores.js';

describe('the standalone bot facade (Client4 with the bot token)', () => {
  let mm: FakeMattermost;
  const installation = new MemoryInstallation();
  before(async () => {
    mm = await startFakeMattermost('http://127.0.0.1:9/cb');
    await installation.saveInstallation({
      mattermost_url: mm.url,
      bot_user_id: mm.botUserId,
      bot_username: 'bot',
      bot_token: mm.botToken,
      oauth_client_id: 'c',
      oauth_client_secret: 's',
      updated_at: 0,
    });
  });
  after(() => mm.close());
  const bot = () => createMattermostBot({ siteUrl: mm.url, installation, timeoutMs: 2000 });

  it('when a user has system_admin among their roles, then isSystemAdmin says so (re-read each time)', async () => {
    const user = mm.addUser('dana');
    assert.equal(await bot().isSystemAdmin(user.id), false);
    user.roles = 'system_user system_admin';
    assert.equal(await bot().isSystemAdmin(user.id), true);
    assert.equal((await bot().getUser(user.id)).username, 'dana');
  });

  it('when a system admin is deactivated, then isSystemAdmin says no (the role stays on a deactivated account)', async () => {
    const user = mm.addUser('frank', 'system_user system_admin');
    assert.equal(await bot().isSystemAdmin(user.id), true);
    mm.deactivate(user.id);
    assert.equal(await bot().isSystemAdmin(user.id), false);
    assert.equal((await bot().getUser(user.id)).roles, 'system_user system_admin');
  });

  it('when the user does not exist, then isSystemAdmin throws (never a silent yes)', async () => {
    await assert.rejects(bot().isSystemAdmin('z'.repeat(26)));
  });

  it('then dm creates the direct channel with the bot and posts there', async () => {
    const user = mm.addUser('erin');
    await bot().dm(user.id, 'hello **erin**');
    const { id: _id, ...post } = mm.posts.at(-1)!;
    assert.deepEqual(post, { channel_id: mm.posts.at(-1)?.channel_id, message: 'hello **erin**', to: user.id });
  });

  it('then dmWithProps posts the message with its props (the buttons) in the direct channel', async () => {
    const user = mm.addUser('finn');
    const props = { attachments: [{ text: 'Allow?', actions: [{ id: 'allow', name: 'Allow' }] }] };
    await bot().dmWithProps(user.id, 'a request', props);
    assert.deepEqual([mm.posts.at(-1)?.to, mm.posts.at(-1)?.message, mm.posts.at(-1)?.props], [user.id, 'a request', props]);
  });

  it('then openDialog posts trigger, url and dialog to actions/dialogs/open', async () => {
    await bot().openDialog('trig', 'http://svc/standalone/dialog', { title: 'T', elements: [{ name: 'a', display_name: 'A', type: 'text' }] });
    assert.deepEqual(mm.dialogs.at(-1), {
      trigger_id: 'trig',
      url: 'http://svc/standalone/dialog',
      dialog: { title: 'T', elements: [{ name: 'a', display_name: 'A', type: 'text' }] },
    });
  });

  it('when setup has not run, then a clear NotInstalledError', async () => {
    const none = createMattermostBot({ siteUrl: mm.url, installation: new MemoryInstallation(), timeoutMs: 2000 });
    await assert.rejects(none.dm('x'.repeat(26), 'hi'), NotInstalledError);
  });

  it('when Mattermost does not answer, then the call fails within the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const slow = createMattermostBot({ siteUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, installation, timeoutMs: 100 });
      const started = Date.now();
      await assert.rejects(slow.getUser('a'.repeat(26)), /did not answer/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
