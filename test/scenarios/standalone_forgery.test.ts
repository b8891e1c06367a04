/**
 * A user who created a team of their own is its team admin: they read the
 * `/oauth2` command's token there, and their own custom command receives
 * trigger ids that Mattermost signed for them. With both they forge command
 * requests as a system admin and as another user, on the fake and on a real
 * Mattermost: every one is refused with its reason, and nothing is stored,
 * changed or sent. The real users' own commands keep working beside them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { Person } from './host.js';
import { connectUser, PROVIDER_ID, registerTestProvider, say } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { StandaloneHost } from './hosts/standalone.js';
import type { TeamAdminKit } from './hosts/team_admin.js';
import { signTrigger } from '../support/standalone/trigger_signer.js';
import { credentialHash, newCredential } from '../../src/core/token_api/credential.js';

/** What the service holds that a forged request could change: providers, connections, grants and the DMs the users got. */
async function holdings(host: StandaloneHost, users: Person[]): Promise<string> {
  const providers = (await host.repositories.providers.list()).map((p) => `${p.id}:${p.updated_at}`);
  const connections = await Promise.all(
    users.map(async (u) => JSON.stringify((await host.repositories.connections.get(u.id, PROVIDER_ID))?.connection ?? null)),
  );
  const grants = await Promise.all(users.map((u) => host.repositories.tokenClients.grantsOf(u.id)));
  const dms = await Promise.all(users.map(async (u) => (await host.directMessages(u)).length));
  return JSON.stringify({ providers, connections, grants, dms });
}

for (const choice of scenarioHosts(['standalone'])) {
  describe(`a team admin forges requests to the standalone host (${choice.label})`, { timeout: 120_000 }, () => {
    let host: StandaloneHost;
    let alice: Person;
    let mallory: Person;
    let kit: TeamAdminKit;

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      alice = await host.createUser('alice');
      mallory = await host.createUser('mallory');
      await registerTestProvider(host);
      assert.equal((await connectUser(host, alice, 'alice-op')).completed, true);
      // An integration alice allowed: the panel's revoke is among the forged requests.
      const at = Date.now();
      const client = { id: 'some-client', name: 'Some client', providers: [PROVIDER_ID], scopes: [], sources: [], rate_per_minute: 60 };
      await host.repositories.tokenClients.create({ ...client, created_by: host.admin.id, created_at: at, credential_at: at }, credentialHash(newCredential()));
      await host.repositories.tokenClients.grant({ user_id: alice.id, client_id: 'some-client', provider_id: PROVIDER_ID, scopes: [], granted_at: at });
      kit = await host.teamAdminKit(mallory);
    });
    after(async () => {
      await kit?.close();
      await host?.close();
    });

    /** A command posted straight to the service, as Mattermost would, with the team admin's token and what the test chooses. */
    function forge(text: string, userId: string, triggerId: string): Promise<Response> {
      const form = new URLSearchParams({
        token: kit.commandToken,
        team_id: kit.teamId,
        channel_id: kit.channelId,
        user_id: userId,
        user_name: 'someone',
        command: '/oauth2',
        text,
        trigger_id: triggerId,
        response_url: `${host.mm.url}/hooks/commands/${'h'.repeat(26)}`,
      });
      return fetch(`${host.rootUrl}/standalone/command`, { method: 'POST', body: form });
    }

    async function refused(response: Response, reason: RegExp): Promise<void> {
      assert.equal(response.status, 401);
      const text = ((await response.json()) as { text?: string }).text ?? '';
      assert.match(text, reason);
      assert.doesNotMatch(text, /Test IdP|alice-op|connected|Some client/);
    }

    const SUBCOMMANDS = [
      'provider add --preset oidc --id evil --issuer https://evil.example --client_id x',
      `provider edit ${PROVIDER_ID} --display_name Evil`,
      `provider remove ${PROVIDER_ID} --confirm`,
      'report',
      'status',
      `whoami ${PROVIDER_ID}`,
      `disconnect ${PROVIDER_ID}`,
      '__panel',
      `__disconnect ${PROVIDER_ID}`,
      `__revoke some-client ${PROVIDER_ID}`,
      'client add',
      'client list',
      'client rotate some-client',
      'client remove some-client',
      `client grants ${'a'.repeat(26)}`,
      'grants list',
      'grants revoke some-client',
    ];

    it('when the team admin names a system admin or another user with a trigger signed for themselves, then every subcommand is refused as another user’s and nothing changes', async () => {
      const before = await holdings(host, [alice, host.admin]);
      for (const victim of [host.admin, alice]) {
        for (const text of SUBCOMMANDS) await refused(await forge(text, victim.id, await kit.ownTrigger()), /signed for another user/);
      }
      assert.equal(await holdings(host, [alice, host.admin]), before);
      assert.equal((await host.repositories.providers.get(PROVIDER_ID))?.display_name, 'Test IdP');
    });

    it('when the request carries no trigger or one that is not Mattermost’s, then it is refused with that reason and nothing changes', async () => {
      const before = await holdings(host, [alice, host.admin]);
      const own = await kit.ownTrigger();
      const raw = Buffer.from(own, 'base64').toString('latin1');
      const flipped = Buffer.from(raw.slice(0, -6) + (raw.at(-6) === 'A' ? 'B' : 'A') + raw.slice(-5), 'latin1').toString('base64');
      const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      await refused(await forge(`disconnect ${PROVIDER_ID}`, alice.id, ''), /carries no trigger id signed by Mattermost/);
      await refused(await forge(`disconnect ${PROVIDER_ID}`, alice.id, 'x'.repeat(40)), /carries no trigger id signed by Mattermost/);
      await refused(
        await forge(`disconnect ${PROVIDER_ID}`, alice.id, signTrigger(otherKey, alice.id, Date.now())),
        /not signed with this Mattermost server's key/,
      );
      await refused(await forge('status', mallory.id, flipped), /not signed with this Mattermost server's key/);
      assert.equal(await holdings(host, [alice, host.admin]), before);
    });

    it('when a trigger of their own is used twice, then the first runs as themselves and the second is refused as already used', async () => {
      const own = await kit.ownTrigger();
      const first = await forge('status', mallory.id, own);
      assert.equal(first.status, 200);
      assert.match(((await first.json()) as { text: string }).text, /Test IdP.*not connected/s);
      await refused(await forge('status', mallory.id, own), /already used/);
    });

    it('when a trigger of their own is older than the window, then it is refused as too old', async () => {
      const own = await kit.ownTrigger();
      await new Promise((resolve) => setTimeout(resolve, 10_500)); // APP_TRIGGER_WINDOW_MS: 10 s in the scenario service
      await refused(await forge('status', mallory.id, own), /too old/);
    });

    it('when the forged dialog submission names the admin, then the dialog route refuses it and nothing is stored', async () => {
      const res = await fetch(`${host.rootUrl}/standalone/dialog`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'dialog_submission',
          callback_id: 'provider.add',
          state: 'v1.e30.x',
          user_id: host.admin.id,
          submission: { preset: 'oidc', id: 'evil', display_name: 'Evil', issuer: host.provider.issuer, client_id: 'x', client_secret: 'y' },
        }),
      });
      assert.match(((await res.json()) as { error?: string }).error ?? '', /not one the service opened/);
      assert.equal(await host.repositories.providers.get('evil'), undefined);
    });

    it('when the real users type their own commands meanwhile, then they work', async () => {
      assert.match(await say(host, alice, ['whoami', PROVIDER_ID]), /alice-op/);
      assert.match(await say(host, host.admin, ['report']), /Test IdP/);
    });
  });
}
