/**
 * An admin removes a provider that users are connected to, on the standalone
 * host (the only one that can read every user's tokens; the Apps plugin's
 * user store answers for the acting user only): the connections go at once,
 * the tokens are revoked at the provider after the answer, and the admin gets
 * a direct message with the outcome. On the fake and on a real Mattermost.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Person } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { StandaloneHost } from './hosts/standalone.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const choice of scenarioHosts(['standalone'])) {
  describe(`an admin removes a provider with connected users (${choice.label})`, () => {
    let host: StandaloneHost;
    let users: Person[];

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      users = [await host.createUser('alice'), await host.createUser('bob')];
      await registerTestProvider(host);
      for (const user of users) assert.ok((await connectUser(host, user, `${user.username}-at-idp`)).completed);
    });
    after(() => host?.close());

    /** The provider's own answer to a token: 200 while it is valid. */
    async function userinfoStatus(accessToken: string): Promise<number> {
      const metadata = (await (await fetch(`${host.provider.issuer}/.well-known/openid-configuration`)).json()) as { userinfo_endpoint: string };
      const res = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
      await res.body?.cancel();
      return res.status;
    }

    async function summaryMessage(): Promise<string> {
      for (let i = 0; i < 100; i += 1) {
        const found = (await host.directMessages(host.admin)).find((m) => m.startsWith('Removing **Test IdP**'));
        if (found) return found;
        await pause(100);
      }
      throw new Error(`no summary message; the admin's messages: ${JSON.stringify(await host.directMessages(host.admin))}`);
    }

    it('then the connections are deleted at once, every token is revoked at the provider, and the admin is told', async () => {
      const tokens = await Promise.all(users.map(async (u) => (await host.repositories.connections.get(u.id, PROVIDER_ID))!.tokens.access_token));
      for (const token of tokens) assert.equal(await userinfoStatus(token), 200, 'the tokens work before the removal');
      const revocations = host.provider.counters.revocation;

      const answer = await host.command(host.admin, ['provider', 'remove'], { provider: PROVIDER_ID, confirm: true });
      assert.match(answer.text, /Removed \*\*Test IdP\*\*\. Its 2 connections were deleted; their tokens are being revoked/);
      for (const user of users) assert.equal(await host.repositories.connections.get(user.id, PROVIDER_ID), undefined);

      assert.match(await summaryMessage(), /revoked the tokens of 2 of 2 users at Test IdP\.$/);
      assert.ok(host.provider.counters.revocation - revocations >= 2, 'one revocation request per user at least');
      for (const token of tokens) assert.equal(await userinfoStatus(token), 401, 'the provider no longer accepts the token');
      assert.ok(
        host.logs.every((line) => tokens.every((t) => !line.includes(t))),
        'no token in the log',
      );
    });
  });
}
