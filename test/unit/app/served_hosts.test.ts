/**
 * Which hosts the service serves: APP_HOSTS always wins; without it, setup's
 * record of the Apps plugin decides, and where nothing is recorded both hosts
 * run as before setup.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideHosts, readAppsPluginRecord } from '../../../src/served_hosts.js';
import type { Installation } from '../../../src/hosts/standalone/ports.js';
import { MemoryInstallationStore } from '../../support/memory_installation_store.js';

const unset = { hosts: ['apps' as const, 'standalone' as const], hostsChosen: false };

describe('the hosts served', () => {
  it('when setup recorded no active Apps plugin and APP_HOSTS is unset, then only the standalone host is served, and the reason says so', () => {
    const served = decideHosts(unset, { kind: 'recorded', appsPlugin: false });
    assert.deepEqual(served.hosts, ['standalone']);
    assert.match(served.why, /setup found no active Apps plugin.*APP_HOSTS=apps,standalone/);
  });

  it('when setup recorded the Apps plugin active, could not tell, has not run, or the record is unreadable, then both hosts are served, each with its reason', () => {
    const cases = [
      [{ kind: 'recorded', appsPlugin: true }, /found the Apps plugin active/],
      [{ kind: 'recorded', appsPlugin: undefined }, /did not record whether the Apps plugin is active \(run setup again\)/],
      [{ kind: 'no_setup' }, /setup has not run/],
      [undefined, /setup has not run/],
      [{ kind: 'unreadable', reason: 'database is locked' }, /could not be read \(database is locked\)/],
    ] as const;
    for (const [record, why] of cases) {
      const served = decideHosts(unset, record);
      assert.deepEqual(served.hosts, ['apps', 'standalone'], JSON.stringify(record));
      assert.match(served.why, why);
    }
  });

  it('when APP_HOSTS is set, then it wins over any record', () => {
    for (const hosts of [['apps'], ['standalone'], ['apps', 'standalone']] as const) {
      const served = decideHosts({ hosts: [...hosts], hostsChosen: true }, { kind: 'recorded', appsPlugin: !(hosts as readonly string[]).includes('apps') });
      assert.deepEqual(served.hosts, hosts);
      assert.equal(served.why, 'APP_HOSTS names them');
    }
  });

  it("when the stored installation was made for another Mattermost, then it says nothing about this one's Apps plugin", async () => {
    const store = new MemoryInstallationStore();
    const installation: Installation = {
      mattermost_url: 'https://old.example.com',
      bot_user_id: 'b',
      bot_username: 'oauth2-connect',
      bot_token: 't',
      oauth_client_id: 'c',
      oauth_client_secret: 's',
      apps_plugin: false,
      updated_at: 1,
    };
    assert.deepEqual(await readAppsPluginRecord(store, 'https://mm.example.com'), { kind: 'no_setup' });
    await store.saveInstallation(installation);
    assert.deepEqual(await readAppsPluginRecord(store, 'https://mm.example.com'), { kind: 'no_setup' });
    assert.deepEqual(await readAppsPluginRecord(store, 'https://old.example.com'), { kind: 'recorded', appsPlugin: false });
    store.getInstallation = async () => {
      throw new Error('the installation (bot token) cannot be opened');
    };
    assert.deepEqual(await readAppsPluginRecord(store, 'https://old.example.com'), {
      kind: 'unreadable',
      reason: 'the installation (bot token) cannot be opened',
    });
  });
});
