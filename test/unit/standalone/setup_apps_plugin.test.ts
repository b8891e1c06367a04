/**
 * Setup records whether the Apps plugin is active (GET /api/v4/plugins with the
 * admin's token), so the service serves the Apps host only where the server
 * can use it (src/served_hosts.ts).
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupWorld, type SetupWorld } from './setup_helpers.js';

describe('setup: the Apps plugin', () => {
  let w: SetupWorld;
  beforeEach(async () => {
    w = await setupWorld();
  });
  afterEach(() => w.close());

  it('when no Apps plugin is active, then setup records it and says the service serves the standalone host only', async () => {
    const report = await w.run();
    assert.deepEqual(report.problems, []);
    assert.equal(w.store.installation?.apps_plugin, false);
    assert.match(report.format(), /ok: +no Apps plugin is active on this server: without APP_HOSTS the service serves the standalone host only/);
    assert.match(report.format(), /saved installation .*no Apps plugin/);
  });

  it('when the Apps plugin is active, then setup records it; when it is removed later, the next run records that (a change)', async () => {
    w.mm.state.activePlugins.push('com.mattermost.apps');
    await w.run();
    assert.equal(w.store.installation?.apps_plugin, true);
    w.mm.state.activePlugins.length = 0;
    const again = await w.run();
    assert.equal(w.store.installation?.apps_plugin, false);
    assert.match(again.done.join('\n'), /saved installation .*no Apps plugin/);
  });

  it('when plugins are off on the server (501), then no Apps plugin is recorded', async () => {
    w.mm.state.pluginsEnabled = false;
    await w.run();
    assert.equal(w.store.installation?.apps_plugin, false);
  });

  it('when Mattermost will not say (403), then an earlier record is kept and the report says it could not tell', async () => {
    w.mm.state.activePlugins.push('com.mattermost.apps');
    await w.run();
    w.mm.state.refused.add('GET /api/v4/plugins');
    const report = await w.run();
    assert.deepEqual(report.problems, []);
    assert.equal(w.store.installation?.apps_plugin, true);
    assert.match(report.format(), /could not tell whether the Apps plugin is active \(GET \/api\/v4\/plugins answered 403\)/);
  });

  it('when setup only checks, then it says what it found and stores nothing', async () => {
    const report = await w.run('check');
    assert.equal(w.store.installation, undefined);
    assert.match(report.format(), /no Apps plugin is active/);
  });
});
