/**
 * What the standalone host refuses, on the fake and on a real Mattermost:
 * a forged command (no token, a wrong token) answers 401; a forged dialog
 * submission (a tampered state, another user's dialog, another action's, an
 * expired one) is refused with the reason of its check; a connect link opened
 * in another user's browser is refused with a clear page. Each time nothing
 * is stored.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Person } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { StandaloneHost } from './hosts/standalone.js';
import type { DialogForm } from './hosts/standalone_dialog.js';
import { tampered } from '../support/tamper.js';

for (const choice of scenarioHosts(['standalone'])) {
  describe(`the standalone host refuses forgeries (${choice.label})`, () => {
    let host: StandaloneHost;
    let alice: Person;
    let bob: Person;

    const connectionOf = (user: Person) => host.repositories.connections.get(user.id, PROVIDER_ID);
    const evil = () => host.repositories.providers.get('evil');

    /** The admin's `/oauth2 provider add` dialog, filled with a provider named evil, not saved yet. */
    async function adminsDialog(): Promise<DialogForm> {
      const answer = await host.command(host.admin, ['provider', 'add']);
      if (answer.kind !== 'form') assert.fail(`no dialog opened: ${answer.text}`);
      const form = answer.form as DialogForm;
      await form.fill({ preset: 'oidc', id: 'evil', display_name: 'Evil', issuer: host.provider.issuer, client_id: 'evil', client_secret: 'evil-secret' });
      return form;
    }

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      alice = await host.createUser('alice');
      bob = await host.createUser('bob');
      await registerTestProvider(host);
    });
    after(() => host?.close());

    it('when a command comes with no token or a wrong one, then the service answers 401 and nothing runs', async () => {
      const fields = {
        team_id: host.mm.teamId,
        channel_id: host.mm.channelId,
        user_id: host.admin.id,
        user_name: host.admin.username,
        command: '/oauth2',
        text: 'provider remove idp --confirm',
      };
      const post = (extra: Record<string, string>) =>
        fetch(`${host.rootUrl}/standalone/command`, { method: 'POST', body: new URLSearchParams({ ...fields, ...extra }) });
      for (const extra of [{}, { token: 'x'.repeat(26) }] as Array<Record<string, string>>) {
        const res = await post(extra);
        assert.equal(res.status, 401);
        assert.doesNotMatch(await res.text(), /Removed|idp/);
      }
      assert.ok(await host.repositories.providers.get(PROVIDER_ID), 'the provider is still registered');
    });

    it("when another user submits the admin's dialog through Mattermost, then it is refused as opened for another user and nothing is stored", async () => {
      const form = await adminsDialog();
      const answer = await host.mm.submitDialog(bob, form.opened.url, form.body());
      assert.equal(answer.error, 'This dialog was opened for another user.', JSON.stringify(answer));
      assert.equal(await evil(), undefined);
    });

    it('when the state is tampered with, then the submission is refused as not opened by the service and nothing is stored', async () => {
      const form = await adminsDialog();
      const body = form.body();
      const [version, payload, mac] = body.state.split('.');
      const flipped = tampered(payload!);
      for (const state of ['forged', `${version}.${flipped}.${mac}`, `${version}.${payload}.${mac!.slice(1)}`]) {
        const answer = await host.mm.submitDialog(host.admin, form.opened.url, { ...body, state });
        assert.equal(answer.error, 'This dialog is not one the service opened.', JSON.stringify(answer));
      }
      assert.equal(await evil(), undefined);
    });

    it("when the add dialog's state is submitted as the remove action, then it is refused as not matching its action and the provider stays", async () => {
      const form = await adminsDialog();
      const answer = await host.mm.submitDialog(host.admin, form.opened.url, {
        ...form.body(),
        callback_id: 'provider.remove',
        submission: { provider: PROVIDER_ID },
      });
      assert.equal(answer.error, 'This dialog does not match its action.', JSON.stringify(answer));
      assert.ok(await host.repositories.providers.get(PROVIDER_ID), 'the provider is still registered');
      assert.equal(await evil(), undefined);
    });

    it('when the dialog is submitted after it expired, then it is refused and nothing is stored', async () => {
      const form = await adminsDialog();
      host.clock.offsetMs = 16 * 60_000;
      try {
        const answer = await form.submit();
        assert.equal(answer.kind, 'error');
        assert.equal(answer.text, 'This dialog has expired. Run the command again.');
      } finally {
        host.clock.offsetMs = 0;
      }
      assert.equal(await evil(), undefined);
    });

    it("when bob opens alice's connect link, then a page refuses it and nothing is stored", async () => {
      const authorizations = host.provider.counters.authorization;
      const refused = await host.openInBrowser(bob, await host.connectLink(alice, PROVIDER_ID), 'bob-at-idp');
      assert.equal(refused.completed, false);
      assert.match(refused.text, new RegExp(`made for another Mattermost user.*@${bob.username}`, 's'), refused.text);
      assert.match(refused.text, /Nothing was stored/);
      assert.equal(host.provider.counters.authorization, authorizations, 'the provider was never contacted');
      assert.equal(await connectionOf(bob), undefined);
      assert.equal(await connectionOf(alice), undefined);
    });

    it('when alice then connects with her own link, then only her connection is stored', async () => {
      assert.ok((await connectUser(host, alice, 'alice-at-idp')).completed);
      assert.equal((await connectionOf(alice))?.connection.sub, 'alice-at-idp');
      assert.equal(await connectionOf(bob), undefined);
      assert.match(await say(host, bob, ['status']), /not connected/);
    });
  });
}
