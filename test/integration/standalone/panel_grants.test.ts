// The "Connected accounts" panel's grants on the standalone host, through its
// hidden subcommands, with the token API's clients and grants on SQLite and
// PostgreSQL: __panel lists the user's own grants under each provider, and
// __revoke <client> <provider> runs the core's `/oauth2 grants revoke`; each
// revoked grant is an audit entry, as an admin's actions are. Insiders attack
// it: another user's session naming alice's grant, extra words naming alice,
// and a request forged with alice's user id.
import { after, before, beforeEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import type { TokenClient } from '../../../src/core/token_api/types.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import { PANEL_PROP } from '../../../src/hosts/standalone/panel/panel_commands.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { MemoryAuditStore } from '../../support/memory_audit_store.js';
import { connectInDatabase, onEachBackend } from '../../support/standalone_db.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

const NOW = 1_780_000_000_000;

interface PanelAnswer {
  type: string;
  text?: string;
  data?: { providers: Array<{ id: string; grants?: unknown[] }> };
}

const client = (id: string, name: string): TokenClient => ({
  id,
  name,
  providers: ['idp', 'other'],
  scopes: ['openid', 'profile'],
  sources: [],
  rate_per_minute: 60,
  created_by: 'r'.repeat(26),
  created_at: NOW,
  credential_at: NOW,
});

onEachBackend('the panel shows and revokes the user’s grants', ({ database }) => {
  let world: StandaloneWorld;
  let store: SqlTokenClientStore;
  let audit: MemoryAuditStore;
  let alice: FakeUser;
  let mallory: FakeUser;

  const answerOf = async (response: Response): Promise<PanelAnswer> => {
    assert.equal(response.status, 200);
    const body = (await response.json()) as { text?: string; props?: Record<string, PanelAnswer> };
    assert.equal(body.text, '', 'nothing is posted');
    const answer = body.props?.[PANEL_PROP];
    assert.ok(answer, 'the result is in props');
    return answer;
  };
  const panel = async (user: FakeUser) => (await answerOf(await world.command(user, '__panel'))).data?.providers ?? [];
  const grantsOf = async (user: FakeUser) => (await store.grantsOf(user.id)).map((g) => `${g.client_id}/${g.provider_id}`);

  before(async () => {
    store = new SqlTokenClientStore(database().db);
    audit = new MemoryAuditStore();
    world = await startStandaloneWorld({ tokenClients: store, audit });
    alice = world.mm.addUser('alice');
    mallory = world.mm.addUser('mallory');
    await store.create(client('issue-bot', 'Issue bot'), credentialHash(newCredential()));
    await store.create(client('calendar', 'Calendar'), credentialHash(newCredential()));
    for (const id of ['idp', 'other']) {
      await world.addProvider(
        { id, display_name: id.toUpperCase(), preset: 'oidc', issuer: 'http://127.0.0.1:9', client_id: 'c', auth: 'client_secret_post', scopes: ['openid'] },
        's',
      );
      // Alice's connection as the grant store sees it (the world keeps its connections in memory).
      await connectInDatabase(database().db, alice.id, id, NOW);
    }
  });
  after(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    audit.entries.length = 0;
    for (const g of await store.allGrants()) await store.revokeGrant(g.user_id, g.client_id, g.provider_id);
    await store.grant({ user_id: alice.id, client_id: 'issue-bot', provider_id: 'idp', scopes: ['openid', 'profile'], granted_at: NOW });
    await store.touch('issue-bot', alice.id, 'idp', NOW + 60_000);
    await store.grant({ user_id: alice.id, client_id: 'calendar', provider_id: 'idp', scopes: ['openid'], granted_at: NOW });
    await store.grant({ user_id: alice.id, client_id: 'issue-bot', provider_id: 'other', scopes: ['openid'], granted_at: NOW });
  });

  it('when alice opens the panel, then each provider carries her grants with the client’s name, scopes and last use', async () => {
    assert.deepEqual(await panel(alice), [
      {
        id: 'idp',
        display_name: 'IDP',
        preset: 'oidc',
        connected: false,
        grants: [
          { client_id: 'calendar', client_name: 'Calendar', scopes: ['openid'], granted_at: NOW },
          { client_id: 'issue-bot', client_name: 'Issue bot', scopes: ['openid', 'profile'], granted_at: NOW, last_used_at: NOW + 60_000 },
        ],
      },
      {
        id: 'other',
        display_name: 'OTHER',
        preset: 'oidc',
        connected: false,
        grants: [{ client_id: 'issue-bot', client_name: 'Issue bot', scopes: ['openid'], granted_at: NOW }],
      },
    ]);
  });

  it('when alice revokes one grant in the panel, then only that grant ends, and /oauth2 grants list agrees', async () => {
    const answer = await answerOf(await world.command(alice, '__revoke issue-bot idp'));
    assert.deepEqual(answer, { type: 'ok' });
    assert.deepEqual(await grantsOf(alice), ['calendar/idp', 'issue-bot/other']);
    const listed = ((await (await world.command(alice, 'grants list')).json()) as { text: string }).text;
    assert.match(listed, /Calendar.*`idp`/);
    assert.doesNotMatch(listed, /Issue bot.*`idp`/);
    const idp = (await panel(alice)).find((p) => p.id === 'idp');
    assert.deepEqual(
      idp?.grants?.map((g) => (g as { client_id: string }).client_id),
      ['calendar'],
    );
  });

  it('when alice revokes in the panel and with the command, then each revoked grant is one audit entry by her, naming client and provider', async () => {
    await answerOf(await world.command(alice, '__revoke issue-bot idp'));
    const typed = ((await (await world.command(alice, 'grants revoke calendar')).json()) as { text: string }).text;
    assert.match(typed, /Revoked: \*\*Calendar\*\*/);
    const entry = (client: string, provider: string) => ({
      actor_user_id: alice.id,
      action: 'grant.revoke',
      target: `client:${client}`,
      outcome: 'ok',
      detail: `provider ${provider}; revoked`,
    });
    assert.deepEqual(
      audit.entries.map(({ at: _at, ...rest }) => rest),
      [entry('issue-bot', 'idp'), entry('calendar', 'idp')],
    );
    assert.ok(
      world.logs.some((line) => line.includes('"msg":"audit"') && line.includes('"action":"grant.revoke"')),
      'and one log line each',
    );
  });

  it('when a revoke is refused (not her grant, gone already), then no audit entry is written', async () => {
    await world.command(mallory, '__revoke issue-bot idp');
    await world.command(alice, '__revoke nobody idp');
    assert.deepEqual(audit.entries, []);
  });

  it('when the grant is gone already, or the panel sends no client or provider, then the error is in props and nothing changes', async () => {
    await world.command(alice, '__revoke issue-bot idp');
    for (const [text, reason] of [
      ['__revoke issue-bot idp', /You have no grant to `issue-bot` for `idp`/],
      ['__revoke', /Which integration\?/],
      ['__revoke calendar', /Which provider\?/],
    ] as const) {
      const answer = await answerOf(await world.command(alice, text));
      assert.equal(answer.type, 'error', text);
      assert.match(answer.text ?? '', reason);
    }
    assert.deepEqual(await grantsOf(alice), ['calendar/idp', 'issue-bot/other']);
  });

  it('when mallory opens the panel in her own session, then she sees none of alice’s grants', async () => {
    const providers = await panel(mallory);
    assert.deepEqual(
      providers.map((p) => p.grants),
      [[], []],
    );
  });

  it('when mallory revokes alice’s grant from her own session, naming alice too, then it is refused as not hers and alice keeps it', async () => {
    for (const text of ['__revoke issue-bot idp', `__revoke issue-bot idp ${alice.id}`, `__revoke issue-bot idp --user ${alice.id}`]) {
      const answer = await answerOf(await world.command(mallory, text));
      assert.equal(answer.type, 'error', text);
      assert.match(answer.text ?? '', /You have no grant to `issue-bot` for `idp`/);
      assert.doesNotMatch(answer.text ?? '', /Issue bot|alice/);
    }
    assert.deepEqual(await grantsOf(alice), ['calendar/idp', 'issue-bot/idp', 'issue-bot/other']);
  });

  it('when a request carries alice’s user id with a trigger Mattermost signed for mallory, or no trigger, then it is refused before anything is read or revoked', async () => {
    for (const text of ['__revoke issue-bot idp', '__panel']) {
      for (const trigger of [world.mm.signer.sign(mallory.id), undefined]) {
        const response = await world.command(mallory, text, { user_id: alice.id, trigger_id: trigger });
        assert.equal(response.status, 401, text);
        const body = JSON.stringify(await response.json());
        assert.doesNotMatch(body, /Issue bot|Calendar|issue-bot|grants/);
      }
    }
    assert.deepEqual(await grantsOf(alice), ['calendar/idp', 'issue-bot/idp', 'issue-bot/other']);
  });
});
