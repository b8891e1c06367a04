/**
 * `/oauth2 audit` on the standalone host, which keeps the trail in its
 * database: system admins read it and filter it by provider and by user;
 * help lists it to them alone. Everyone else is refused, attacked as an
 * insider would: a regular user, a team admin with the team's command token
 * and triggers signed for themselves, and a request forged in a system
 * admin's name, which is itself kept in the trail as a refused forgery.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NOT_ADMIN_AUDIT } from '../../src/core/admin/audit_command.js';
import type { Person } from './host.js';
import { PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { StandaloneHost } from './hosts/standalone.js';
import type { TeamAdminKit } from './hosts/team_admin.js';

for (const choice of scenarioHosts(['standalone'])) {
  describe(`who reads the audit trail (${choice.label})`, { timeout: 120_000 }, () => {
    let host: StandaloneHost;
    let alice: Person;
    let mallory: Person;
    let kit: TeamAdminKit;

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      alice = await host.createUser('alice');
      mallory = await host.createUser('mallory');
      await registerTestProvider(host);
      await registerTestProvider(host, 'other');
      assert.match(await say(host, host.admin, ['provider', 'test'], { provider: PROVIDER_ID }), /all checks passed/);
      kit = await host.teamAdminKit(mallory);
    });
    after(async () => {
      await kit?.close();
      await host?.close();
    });

    /** The newest audit entry once it is `action` (a refusal's entry is written after the refusal is answered). */
    async function latestEntry(action: string, since: number) {
      for (let i = 0; i < 50; i++) {
        const [latest] = await host.repositories.auditLog.recent({ limit: 1 });
        if (latest && latest.action === action && latest.at >= since) return latest;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.fail(`no ${action} entry was written`);
    }

    /** `/oauth2 <text>` posted as Mattermost would, with the team admin's token, as `userId`, with `triggerId`. */
    function forge(text: string, userId: string, triggerId: string): Promise<Response> {
      const form = new URLSearchParams({
        token: kit.commandToken,
        team_id: kit.teamId,
        channel_id: kit.channelId,
        user_id: userId,
        command: '/oauth2',
        text,
        trigger_id: triggerId,
      });
      return fetch(`${host.rootUrl}/standalone/command`, { method: 'POST', body: form });
    }

    it('when a system admin asks, then the latest entries come newest first, and --provider, --user and --limit narrow them', async () => {
      const all = await say(host, host.admin, ['audit']);
      const order = [...all.matchAll(/\| (provider\.\w+) \| (\S+) \|/g)].map((m) => `${m[1]} ${m[2]}`);
      assert.deepEqual(order, ['provider.test idp', 'provider.add other', 'provider.add idp']);
      assert.match(all, new RegExp(`@${host.admin.username}`));
      assert.deepEqual(
        [...(await say(host, host.admin, ['audit', '--provider', 'other'])).matchAll(/provider\.\w+ \| \S+/g)].map((m) => m[0]),
        ['provider.add | other'],
      );
      assert.equal([...(await say(host, host.admin, ['audit', '--limit', '1'])).matchAll(/\| provider\./g)].length, 1);
      assert.match(await say(host, host.admin, ['audit', '--user', `@${host.admin.username}`]), /provider\.test/);
      assert.equal(await say(host, host.admin, ['audit', '--user', `@${alice.username}`]), 'No audit entries match.');
    });

    it('when the options are wrong, then the admin is told which and how', async () => {
      assert.match(await say(host, host.admin, ['audit', '--limit', '0']), /`--limit` must be a whole number from 1 to 200/);
      assert.match(await say(host, host.admin, ['audit', '--limit', 'lots']), /`--limit` must be a whole number/);
      assert.match(await say(host, host.admin, ['audit', '--user', '@nobody-here']), /There is no Mattermost user @nobody-here/);
      assert.match(await say(host, host.admin, ['audit', '--provider', '../x']), /`--provider` takes a provider's short name/);
    });

    it('when help is asked, then it lists audit to a system admin and not to a user', async () => {
      assert.match(await say(host, host.admin, ['help']), /`\/oauth2 audit \[--provider id\] \[--user @name\] \[--limit N\]`/);
      assert.doesNotMatch(await say(host, alice, ['help']), /audit/);
    });

    it('when a regular user asks, then they are refused and read nothing of it', async () => {
      const answer = await say(host, alice, ['audit']);
      assert.equal(answer, NOT_ADMIN_AUDIT);
    });

    it('when a team admin asks with a trigger of their own, then they are refused as the user they are', async () => {
      const res = await forge('audit', mallory.id, await kit.ownTrigger());
      assert.equal(res.status, 200);
      const text = ((await res.json()) as { text?: string }).text ?? '';
      assert.equal(text, NOT_ADMIN_AUDIT);
      assert.doesNotMatch(text, /provider\./);
    });

    it("when a team admin forges the request in a system admin's name, then it is refused, nothing of the trail is sent, and the forgery is itself in the trail", async () => {
      const since = Date.now();
      const res = await forge('audit', host.admin.id, await kit.ownTrigger());
      assert.equal(res.status, 401);
      const text = ((await res.json()) as { text?: string }).text ?? '';
      assert.match(text, /signed for another user/);
      assert.doesNotMatch(text, /provider\./);
      const latest = await latestEntry('forgery.refused', since);
      assert.equal(latest?.actor_user_id, '', 'nobody was vouched for');
      assert.equal(latest?.outcome, 'refused');
      assert.equal(latest?.target, kit.teamId);
      assert.match(latest?.detail ?? '', new RegExp(`command refused: trigger_\\w+; claimed user ${host.admin.id}`));
      assert.match(await say(host, host.admin, ['audit', '--limit', '1']), /_nobody vouched for_ \| forgery\.refused/);
    });

    it('when a forged dialog submission is refused, then it is in the trail too', async () => {
      const since = Date.now();
      await fetch(`${host.rootUrl}/standalone/dialog`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ callback_id: 'provider.add', state: 'v1.e30.x', user_id: host.admin.id, submission: { id: 'evil' } }),
      });
      const latest = await latestEntry('forgery.refused', since);
      assert.match(latest.detail, /^dialog refused: /);
      assert.equal(await host.repositories.providers.get('evil'), undefined);
    });
  });
}
