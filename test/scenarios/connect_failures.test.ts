/**
 * A connect flow that fails, on every chosen host: refused consent, a late
 * redirect, mix-up attacks, a replay, public and client_secret_post clients, a
 * wrong client secret, another account at the provider; and the admin's report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Person, ScenarioHost } from './host.js';
import { registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';

for (const choice of scenarioHosts()) {
  describe(`connect failures (${choice.label})`, () => {
    let host: ScenarioHost;
    let carol: Person;
    const status = () => say(host, carol, ['status']);

    before(async () => {
      host = await choice.start();
      carol = await host.createUser('carol');
      await registerTestProvider(host);
      await registerTestProvider(host, 'pub', host.provider.clients.public);
      await registerTestProvider(host, 'post', host.provider.clients.post);
      await registerTestProvider(host, 'wrong', { ...host.provider.clients.basic, client_secret: 'not-the-secret-at-all' });
    });
    after(() => host?.close());

    it('when the user refuses at the provider, then the page says so and nothing is stored', async () => {
      const flow = await host.startFlow(carol, 'idp', 'carol', true);
      const answer = await flow.complete();
      assert.equal(answer.completed, false);
      assert.match(answer.text, /refused|denied|declined/i);
      assert.match(await status(), /\*\*Test IdP\*\* \(`idp`\): not connected/);
    });

    it('then the bot DMs the failed connect too', async () => {
      assert.match((await host.directMessages(carol)).at(-1) ?? '', /failed: .*(refused|denied|declined)/i);
    });

    it('when the redirect comes back after 15 minutes, then the flow has expired and nothing is stored', async () => {
      const flow = await host.startFlow(carol, 'idp', 'carol');
      host.clock.offsetMs = 16 * 60 * 1000;
      try {
        const answer = await flow.complete();
        assert.equal(answer.completed, false);
        assert.match(answer.text, /expired or was already used/);
      } finally {
        host.clock.offsetMs = 0;
      }
      assert.match(await status(), /\(`idp`\): not connected/);
    });

    it('when the iss parameter names another issuer (mix-up), then it is refused and nothing is stored', async () => {
      const flow = await host.startFlow(carol, 'idp', 'carol');
      const tampered = new URL(flow.completeUrl);
      assert.ok(tampered.searchParams.get('iss'), 'the provider sends RFC 9207 iss');
      tampered.searchParams.set('iss', 'https://evil.example.com');
      const answer = await flow.complete(tampered.href);
      assert.equal(answer.completed, false);
      assert.match(answer.text, /security check/i);
      assert.match(await status(), /\(`idp`\): not connected/);
    });

    it("when the redirect comes back through another provider's redirect URI (mix-up without iss), then it is refused before any token request", async () => {
      const flow = await host.startFlow(carol, 'post', 'carol');
      const swapped = new URL(host.redirectUri('idp'));
      for (const [name, value] of new URL(flow.completeUrl).searchParams)
        if (name !== 'iss' && !swapped.searchParams.has(name)) swapped.searchParams.set(name, value);
      const tokenRequests = host.provider.counters.token;
      const answer = await flow.complete(swapped.href);
      assert.equal(answer.completed, false);
      assert.match(answer.text, /mix-up|another provider|does not match/i);
      assert.equal(host.provider.counters.token, tokenRequests, 'the code was sent to no token endpoint');
      assert.match(await status(), /\(`post`\): not connected/);
    });

    it('when the same redirect is replayed, then the used state is refused', async () => {
      const flow = await host.startFlow(carol, 'idp', 'carol');
      assert.ok((await flow.complete()).completed);
      const replay = await flow.complete();
      assert.equal(replay.completed, false);
      assert.match(await status(), /\(`idp`\): connected as \*\*carol\*\*/);
    });

    it('when the provider is a public client, then PKCE alone completes the flow', async () => {
      assert.ok((await (await host.startFlow(carol, 'pub', 'carol-public')).complete()).completed);
      assert.match(await status(), /\(`pub`\): connected as \*\*carol-public\*\*/);
    });

    it('when the provider uses client_secret_post, then the flow completes', async () => {
      assert.ok((await (await host.startFlow(carol, 'post', 'carol-post')).complete()).completed);
      assert.match(await status(), /\(`post`\): connected as \*\*carol-post\*\*/);
    });

    it('when the client secret is wrong, then the user is told the provider refused the service and nothing is stored', async () => {
      const answer = await (await host.startFlow(carol, 'wrong', 'carol')).complete();
      assert.equal(answer.completed, false);
      assert.match(answer.text, /client|credentials|admin/i);
      assert.doesNotMatch(answer.text, /not-the-secret-at-all/);
      assert.match(await status(), /\(`wrong`\): not connected/);
    });

    it('when a connected user reconnects as another account at the provider, then it is refused', async () => {
      const answer = await (await host.startFlow(carol, 'idp', 'mallory')).complete();
      assert.equal(answer.completed, false);
      assert.match(answer.text, /connected as \**carol\**/);
      assert.match(await status(), /\(`idp`\): connected as \*\*carol\*\*/);
    });

    it('when an admin asks for the report, then it counts the connections per provider', async () => {
      const report = await say(host, host.admin, ['report']);
      assert.match(report, new RegExp(`\\| Test IdP \\| 1 \\| 0 \\| @${carol.username} \\|  \\|`));
      assert.match(report, /\| IdP pub \| 1 \| 0 \|/);
      assert.match(report, /\| IdP wrong \| 0 \| 0 \|/);
    });
  });
}
