/**
 * The keep-alive pass on the standalone host, on the fake and on a real
 * Mattermost: a connection idle for longer than APP_KEEP_ALIVE_IDLE_DAYS is
 * refreshed once at the provider and keeps working; one the user used lately
 * is left alone; and when the provider no longer accepts a connection's
 * refresh token, the user gets the bot's direct message telling them to
 * reconnect (through Mattermost's own API on the real server) and their next
 * command says so too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runKeepAlivePass } from '../../src/hosts/standalone/keep_alive/pass.js';
import type { Person } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { StandaloneHost } from './hosts/standalone.js';

const DAY = 86_400_000;
const SETTINGS = { idleMs: 30 * DAY, intervalMs: 60 * 60_000, perMinute: 600 };

for (const choice of scenarioHosts(['standalone'])) {
  describe(`the keep-alive pass (${choice.label})`, { timeout: 120_000 }, () => {
    let host: StandaloneHost;
    let alice: Person;
    let bob: Person;
    let holders = 0;
    /** One pass as the service runs it, on the service's own parts and clock; its waits end at once. */
    const pass = () =>
      runKeepAlivePass({
        deps: host.service.standalone!.deps!,
        connections: host.repositories.connections,
        leases: host.repositories.leases,
        settings: SETTINGS,
        holder: `scenario-${(holders += 1)}`,
        sleep: async () => undefined,
        random: () => 0.5,
      });

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      alice = await host.createUser('alice');
      bob = await host.createUser('bob');
      await registerTestProvider(host);
      assert.equal((await connectUser(host, alice, 'alice-kept')).completed, true);
      assert.equal((await connectUser(host, bob, 'bob-kept')).completed, true);
    });
    after(() => host?.close());

    it('when alice has not used her connection for 31 days and bob used his today, then one pass refreshes hers alone and both keep working', async () => {
      const refreshesBefore = host.provider.counters.refresh;
      try {
        host.clock.offsetMs = 31 * DAY;
        // bob's use today (31 days on) refreshes his expired token and marks his connection used.
        assert.match(await say(host, bob, ['whoami'], { provider: PROVIDER_ID }), /bob-kept/);
        const afterBob = host.provider.counters.refresh;
        const counts = await pass();
        assert.deepEqual(counts, { refreshed: 1, failedForGood: 0, failedForNow: 0, skipped: 0 });
        assert.equal(host.provider.counters.refresh - afterBob, 1, 'one refresh at the provider, for alice');
        assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /alice-kept/);
        assert.equal(host.provider.counters.refresh - refreshesBefore, 2, "alice's whoami used the refreshed token as it was");
      } finally {
        host.clock.offsetMs = 0;
      }
    });

    it('when the provider no longer accepts her refresh token, then the pass marks it broken and alice gets a direct message to reconnect', async () => {
      const dmsBefore = (await host.directMessages(alice)).length;
      assert.ok(host.provider.revokeAccount('alice-kept') > 0, 'her grant was revoked at the provider');
      try {
        host.clock.offsetMs = 62 * DAY;
        const counts = await pass();
        assert.equal(counts?.failedForGood, 1, JSON.stringify(counts));
        const dms = await host.directMessages(alice);
        assert.equal(dms.length, dmsBefore + 1, 'one direct message');
        assert.match(dms.at(-1) ?? '', /Test IdP connection no longer works[\s\S]*`\/oauth2 connect idp`/);
        assert.equal((await host.directMessages(bob)).filter((m) => /no longer works/.test(m)).length, 0, 'bob was not told anything');
        assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /no longer works[\s\S]*\[Reconnect your Test IdP account\]\(http/);
      } finally {
        host.clock.offsetMs = 0;
      }
    });
  });
}
