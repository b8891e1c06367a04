/**
 * APP_MATTERMOST_SOURCES: commands, dialog submissions and button clicks are
 * taken only from the Mattermost server's addresses. A request from any other
 * address, even with the team's command token and a trigger Mattermost signed
 * for its user (what someone who owns another command or button receives), is
 * refused before its body is read: 403, nothing runs, nothing is stored.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../../src/config/index.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import { NOT_FROM_MATTERMOST } from '../../../src/hosts/standalone/mattermost_source.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { createScratch, type Scratch } from '../../support/standalone_db.js';
import { startListeningService } from '../../support/standalone_service.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';
import { fromAllowedSource, sourceCheck } from '../../../src/util/address_sources.js';

const post = (url: string, contentType: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('standalone: requests only from the Mattermost server’s addresses (APP_MATTERMOST_SOURCES)', () => {
  let scratch: Scratch;
  let elsewhere: StandaloneWorld;
  let loopback: StandaloneWorld;
  let alice: FakeUser;
  let bob: FakeUser;
  before(async () => {
    scratch = await createScratch('sqlite');
    const tokenClients = new SqlTokenClientStore((await scratch.open()).db);
    // The tests send from 127.0.0.1: to the first world that is another address than Mattermost's.
    elsewhere = await startStandaloneWorld({ tokenClients, mattermostSources: ['10.20.30.40', 'fd00::/8'] });
    loopback = await startStandaloneWorld({ mattermostSources: ['10.20.30.40', '127.0.0.0/8'] });
    alice = elsewhere.mm.addUser('alice');
    bob = loopback.mm.addUser('bob');
  });
  after(async () => {
    await elsewhere?.close();
    await loopback?.close();
    await scratch?.dispose();
  });

  it('when a command with the team’s token and a fresh trigger comes from another address, then it is refused (403) and nothing is stored', async () => {
    const response = await elsewhere.command(alice, 'connect github');
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { response_type: 'ephemeral', text: NOT_FROM_MATTERMOST });
    assert.equal(elsewhere.stores.oneTime.rows.size, 0, 'no trigger spent, no link stored');
    assert.equal(elsewhere.mm.dialogs.length, 0);
    assert.match(elsewhere.logs.join('\n'), /command refused.*not_from_mattermost.*127\.0\.0\.1/);
  });

  it('when a dialog submission or a button click comes from another address, then it is refused (403) in that surface’s answer shape', async () => {
    const dialog = await post(
      `${elsewhere.rootUrl}/standalone/dialog`,
      'application/json',
      JSON.stringify({ callback_id: 'x', state: 'y', user_id: alice.id }),
    );
    assert.equal(dialog.status, 403);
    assert.deepEqual(await dialog.json(), { error: NOT_FROM_MATTERMOST });
    const click = await post(`${elsewhere.rootUrl}/standalone/consent`, 'application/json', JSON.stringify({ user_id: alice.id, context: {} }));
    assert.equal(click.status, 403);
    assert.deepEqual(await click.json(), { ephemeral_text: NOT_FROM_MATTERMOST });
  });

  it('when a request comes from an address in the list, then it runs as without the setting', async () => {
    const trigger = loopback.mm.signer.sign(bob.id);
    const response = await loopback.command(bob, 'status', { trigger_id: trigger });
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { text: string }).text, /No OAuth2 providers are registered yet/);
    const again = await loopback.command(bob, 'status', { trigger_id: trigger });
    assert.equal(again.status, 401, 'its trigger was checked and spent as any other');
  });

  it('when the pages a browser opens are asked from another address, then they are served: the setting is for Mattermost’s requests only', async () => {
    const page = await fetch(`${elsewhere.rootUrl}/standalone/connect?l=unknown`);
    assert.notEqual(page.status, 403);
  });
});

describe('APP_MATTERMOST_SOURCES as configured', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('when it lists addresses and CIDRs, separated by commas or spaces, then each is kept once', () => {
    const config = loadConfig({ APP_ENCRYPTION_KEY: key, APP_MATTERMOST_SOURCES: ' 10.0.0.5, 10.0.0.0/24  fd00::/8,10.0.0.5 ' });
    assert.deepEqual(config.mattermostSources, ['10.0.0.5', '10.0.0.0/24', 'fd00::/8']);
    assert.deepEqual(loadConfig({ APP_ENCRYPTION_KEY: key }).mattermostSources, []);
  });

  it('when it is any (a reverse proxy in front admits only Mattermost), then every address passes, IPv4 and IPv6', () => {
    const sources = loadConfig({ APP_ENCRYPTION_KEY: key, APP_MATTERMOST_SOURCES: 'ANY' }).mattermostSources;
    assert.notDeepEqual(sources, [], 'a list, so the service does not warn that none was set');
    const check = sourceCheck(sources);
    for (const address of ['203.0.113.9', '::ffff:10.1.2.3', '2001:db8::1', '::1']) assert.equal(check(address), true, address);
  });

  for (const bad of ['mattermost.example.com', '10.0.0.0/33', '10.0.0.1/8/1', '300.1.1.1']) {
    it(`when it holds ${bad}, then the service does not start, naming the variable and the entry`, () => {
      assert.throws(
        () => loadConfig({ APP_ENCRYPTION_KEY: key, APP_MATTERMOST_SOURCES: `10.0.0.5, ${bad}` }),
        (err: unknown) => err instanceof ConfigError && /APP_MATTERMOST_SOURCES/.test(err.message) && err.message.includes(bad),
      );
    });
  }

  it('when an address is checked, then an IPv4 peer of a dual-stack socket counts as its IPv4 address, and a missing one never passes', () => {
    const check = sourceCheck(['10.0.0.0/8', '2001:db8::/32']);
    assert.equal(check('10.1.2.3'), true);
    assert.equal(check('::ffff:10.1.2.3'), true);
    assert.equal(check('2001:db8::7'), true);
    assert.equal(check('11.0.0.1'), false);
    assert.equal(check(undefined), false);
    assert.equal(fromAllowedSource([], undefined), true, 'an empty list admits every request');
  });
});

describe('the warning at start', () => {
  const started = async (env: Record<string, string>): Promise<string[]> => {
    const running = await startListeningService({ storage: 'sqlite', mattermostUrl: () => 'http://127.0.0.1:9', env });
    await running.close();
    return running.logs.filter((line) => line.includes('APP_MATTERMOST_SOURCES'));
  };

  it('when others can reach the service and no addresses are set, then it warns; with a list, any, or on loopback only, it does not', async () => {
    const warned = await started({ APP_ROOT_URL: 'https://connect.example.com' });
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /APP_MATTERMOST_SOURCES is not set and APP_ROOT_URL=https:\/\/connect\.example\.com is not a loopback address/);
    assert.deepEqual(await started({ APP_ROOT_URL: 'https://connect.example.com', APP_MATTERMOST_SOURCES: '10.0.0.5' }), []);
    assert.deepEqual(await started({ APP_ROOT_URL: 'https://connect.example.com', APP_MATTERMOST_SOURCES: 'any' }), []);
    assert.deepEqual(await started({ APP_ROOT_URL: 'http://127.0.0.1:4000' }), []);
  });
});
