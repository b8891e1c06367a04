/**
 * A user's journey, on every chosen host: an admin registers a provider
 * through the form, a user connects in Chromium, status, whoami, refresh,
 * another user cannot use or remove the connection, disconnect with
 * revocation; and a connection revoked at the provider is reconnected.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Person, ScenarioHost } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';

for (const choice of scenarioHosts()) {
  describe(`users' journey (${choice.label})`, () => {
    let host: ScenarioHost;
    let alice: Person;
    let bob: Person;

    before(async () => {
      host = await choice.start();
      alice = await host.createUser('alice');
      bob = await host.createUser('bob');
    });
    after(() => host?.close());

    it('when a non-admin tries to add a provider, then it is refused and nothing is registered', async () => {
      const answer = await host.command(alice, ['provider', 'add']);
      assert.notEqual(answer.kind, 'form', 'no form opens for a non-admin');
      assert.doesNotMatch(answer.text, /Registered/);
      assert.match(await say(host, alice, ['providers']), /No OAuth2 providers are registered/);
    });

    it('when an admin registers a provider through the form, then discovery is checked and users see it', async () => {
      await registerTestProvider(host);
      assert.ok(host.provider.counters.discovery >= 1);
      assert.match(await say(host, alice, ['providers']), /Test IdP/);
    });

    it('when an admin registers a provider whose issuer does not answer, then the form says so and nothing is saved', async () => {
      const answer = await host.command(host.admin, ['provider', 'add'], {
        preset: 'oidc',
        id: 'broken',
        display_name: 'Nope',
        issuer: 'http://127.0.0.1:9/nope',
        client_id: 'x',
        client_secret: 'y',
        auth: 'client_secret_basic',
      });
      assert.equal(answer.kind, 'error', answer.text);
      assert.doesNotMatch(await say(host, alice, ['providers']), /Nope/);
    });

    it('when a user connects in the browser, then the host completes and the bot DMs the account', async () => {
      const result = await connectUser(host, alice, 'alice-at-idp');
      assert.ok(result.completed, result.text);
      const dms = await host.directMessages(alice);
      assert.match(dms.at(-1) ?? '', /You connected your Test IdP account \*\*alice-at-idp\*\*/);
    });

    it('when the user asks for status and whoami, then the account is shown', async () => {
      assert.match(await say(host, alice, ['status']), /connected as \*\*alice-at-idp\*\*.*token expires in/);
      const who = await say(host, alice, ['whoami'], { provider: PROVIDER_ID });
      assert.match(who, /you are \*\*alice-at-idp\*\*/);
      assert.match(who, /email: alice-at-idp@example\.test/);
    });

    it('when the token has expired, then it is refreshed once on use, and the rotated refresh token works the next time', async () => {
      const before = host.provider.counters.refresh;
      try {
        host.clock.offsetMs = 2 * 3600 * 1000;
        assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /alice-at-idp/);
        assert.equal(host.provider.counters.refresh, before + 1);
        assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /alice-at-idp/);
        assert.equal(host.provider.counters.refresh, before + 1, 'the refreshed token is used while it lasts');
        host.clock.offsetMs = 4 * 3600 * 1000;
        assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /you are \*\*alice-at-idp\*\*/);
        assert.equal(host.provider.counters.refresh, before + 2, 'the rotated refresh token was accepted');
      } finally {
        host.clock.offsetMs = 0;
      }
    });

    it("when a second user tries to use or remove the first user's connection, then they get nothing of it and it stays", async () => {
      assert.match(await say(host, bob, ['status']), /not connected/);
      // The Apps host does not even offer whoami and disconnect to a user with no connection; the standalone host says "not connected".
      for (const words of [['whoami'], ['disconnect']]) {
        const answer = await host.command(bob, words, { provider: PROVIDER_ID });
        assert.doesNotMatch(answer.text, /alice-at-idp|Disconnected/, answer.text);
      }
      assert.match(await say(host, alice, ['whoami'], { provider: PROVIDER_ID }), /you are \*\*alice-at-idp\*\*/);
    });

    it('when the user disconnects, then the token is revoked at the provider and the connection is gone', async () => {
      const before = host.provider.counters.revocation;
      const answer = await say(host, alice, ['disconnect'], { provider: PROVIDER_ID });
      assert.match(answer, /Disconnected your Test IdP account\. The token was revoked at Test IdP/);
      assert.ok(host.provider.counters.revocation > before);
      assert.match(await say(host, alice, ['status']), /not connected/);
    });

    it('then no log line contains a secret', () => {
      for (const line of host.logs) for (const s of host.secrets) assert.ok(!line.includes(s), `a log line contains a secret: ${line.slice(0, 120)}`);
    });
  });

  describe(`a token revoked at the provider (${choice.label})`, () => {
    let host: ScenarioHost;
    let dave: Person;
    before(async () => {
      host = await choice.start();
      dave = await host.createUser('dave');
      await registerTestProvider(host);
      assert.ok((await connectUser(host, dave, 'dave-at-idp')).completed);
    });
    after(() => host?.close());

    it('when the user revoked the service at the provider, then whoami marks the connection broken and prompts to reconnect', async () => {
      assert.ok(host.provider.revokeAccount('dave-at-idp') > 0);
      assert.match(await say(host, dave, ['whoami'], { provider: PROVIDER_ID }), /connection no longer works.*\[Reconnect your Test IdP account\]\(http/);
      assert.match(await say(host, dave, ['status']), /needs reconnecting/);
    });

    it('when the user follows a new connect link, then the connection works again', async () => {
      assert.ok((await connectUser(host, dave, 'dave-at-idp')).completed);
      assert.match(await say(host, dave, ['status']), /connected as \*\*dave-at-idp\*\*/);
      assert.match(await say(host, dave, ['whoami'], { provider: PROVIDER_ID }), /dave-at-idp/);
    });
  });
}
