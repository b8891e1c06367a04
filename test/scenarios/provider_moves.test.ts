/**
 * On every chosen host: a provider moved to another origin
 * needs its client secret again, its users' tokens are never sent to the new
 * origin (they are asked to reconnect), and a broken connection is never used
 * to call the provider.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { TEST_PROVIDER_IDS } from '../support/redirects.js';
import type { OpenForm, Person, ScenarioHost } from './host.js';
import { connectUser, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';

for (const choice of scenarioHosts()) {
  describe(`a provider moves, a connection breaks (${choice.label})`, () => {
    let host: ScenarioHost;
    let elsewhere: StartedOidcProvider;
    let gina: Person;
    let hugo: Person;

    async function editForm(id: string): Promise<OpenForm> {
      const answer = await host.command(host.admin, ['provider', 'edit'], { provider: id });
      if (answer.kind !== 'form') assert.fail(`no form opened: ${answer.text}`);
      return answer.form;
    }

    before(async () => {
      host = await choice.start();
      elsewhere = await startOidcProvider({ redirectUris: TEST_PROVIDER_IDS.map((id) => host.redirectUri(id)) });
      gina = await host.createUser('gina');
      hugo = await host.createUser('hugo');
      for (const id of ['moved', 'idp']) await registerTestProvider(host, id);
      assert.ok((await connectUser(host, gina, 'gina', 'moved')).completed);
      assert.ok((await connectUser(host, hugo, 'hugo', 'idp')).completed);
    });
    after(async () => {
      await elsewhere?.close();
      await host?.close();
    });

    it('when an admin moves the issuer to another origin without typing the secret, then the edit is refused and nothing changes', async () => {
      const form = await editForm('moved');
      await form.fill({ issuer: elsewhere.issuer });
      const answer = await form.submit();
      assert.equal(answer.kind, 'error');
      assert.match(answer.text, /enter the client secret again/i);
      assert.equal(elsewhere.counters.discovery, 0, 'the new origin was not even asked');
      assert.match(await say(host, gina, ['whoami'], { provider: 'moved' }), /you are \*\*gina\*\*/);
    });

    it('when the admin types the secret for the new origin, then the move is saved and the old tokens are never sent there: the user is asked to reconnect', async () => {
      const form = await editForm('moved');
      await form.fill({ issuer: elsewhere.issuer, client_secret: elsewhere.clients.basic.client_secret ?? '' });
      const saved = await form.submit();
      assert.equal(saved.kind, 'text', saved.text);
      elsewhere.resetCounters();
      assert.match(await say(host, gina, ['whoami'], { provider: 'moved' }), /does not belong here.*[Rr]econnect/s);
      assert.deepEqual([elsewhere.counters.token, elsewhere.counters.userinfo, elsewhere.counters.revocation], [0, 0, 0]);
      assert.match(await say(host, gina, ['status']), /`moved`\): :warning: .*does not belong here/);
    });

    it('when a connection is broken, then whoami and refresh never call the provider again', async () => {
      host.provider.revokeAccount('hugo');
      host.clock.offsetMs = 2 * 3600 * 1000;
      try {
        assert.match(await say(host, hugo, ['whoami'], { provider: 'idp' }), /no longer works.*[Rr]econnect/s);
        host.provider.resetCounters();
        assert.match(await say(host, hugo, ['whoami'], { provider: 'idp' }), /no longer works.*[Rr]econnect/s);
        assert.deepEqual([host.provider.counters.token, host.provider.counters.userinfo], [0, 0], 'a broken connection is not used');
      } finally {
        host.clock.offsetMs = 0;
      }
    });
  });
}
