/**
 * The token API's storage on SQLite and PostgreSQL: a client is found only by
 * its current credential's hash, its id is taken once, removing it removes its
 * grants, and a grant ends with the user's connection (a disconnect) and with
 * the provider (an admin's removal). A grant is stored only while its client
 * and the user's connection to its provider exist, checked by the writing
 * statement: one written while a disconnect, a provider's removal or the
 * client's removal is under way, between or after its deletes, is either not
 * stored or removed by it, never left behind its connection or its client.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  TableNode,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import type { TokenClient } from '../../../src/core/token_api/types.js';
import { SqlConnectionRepository } from '../../../src/hosts/standalone/db/connection_repository.js';
import { SqlProviderRepository } from '../../../src/hosts/standalone/db/provider_repository.js';
import type { Database } from '../../../src/hosts/standalone/db/schema.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;
const USER = 'u'.repeat(26);

const client = (id: string): TokenClient => ({
  id,
  name: id,
  providers: ['idp'],
  scopes: ['openid'],
  sources: ['10.0.0.0/8'],
  rate_per_minute: 60,
  created_by: 'a'.repeat(26),
  created_at: NOW,
  credential_at: NOW,
});

const provider = (id: string): StoredProvider =>
  ({
    id,
    display_name: id,
    preset: 'oidc',
    issuer: `https://${id}.example`,
    client_id: 'c',
    auth: 'client_secret_basic',
    scopes: ['openid'],
    created_at: NOW,
    updated_at: NOW,
  }) as StoredProvider;

/**
 * Runs a step after each DELETE statement of the database handle it is given to (in a transaction too,
 * before the next statement): a write of another request landing in the middle of a delete.
 */
class AfterEachDelete implements KyselyPlugin {
  private readonly deletes = new Map<string, string>();
  step: ((table: string) => Promise<void>) | undefined;

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'DeleteQueryNode') {
      const from = node.from.froms[0];
      if (from && TableNode.is(from)) this.deletes.set(queryId.queryId, from.table.identifier.name);
    }
    return node;
  }

  async transformResult({ queryId, result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const table = this.deletes.get(queryId.queryId);
    this.deletes.delete(queryId.queryId);
    if (table) await this.step?.(table);
    return result;
  }
}

onEachBackend('token API storage', ({ database }) => {
  const store = () => new SqlTokenClientStore(database().db);
  const grant = (clientId: string, providerId = 'idp') => ({
    user_id: USER,
    client_id: clientId,
    provider_id: providerId,
    scopes: ['openid'],
    granted_at: NOW,
  });

  it('when a client is created and rotated, then only the current credential finds it, and its id is taken once', async () => {
    const first = newCredential();
    assert.equal(await store().create(client('bot'), credentialHash(first)), true);
    assert.equal(await store().create(client('bot'), credentialHash(newCredential())), false, 'the id is taken');
    assert.deepEqual((await store().byCredentialHash(credentialHash(first)))?.client, client('bot'));
    const second = newCredential();
    assert.equal(await store().rotate('bot', credentialHash(second), NOW + 1), true);
    assert.equal(await store().byCredentialHash(credentialHash(first)), undefined);
    assert.equal((await store().byCredentialHash(credentialHash(second)))?.client.credential_at, NOW + 1);
    assert.equal(await store().rotate('gone', credentialHash(second), NOW), false);
  });

  const providers = () => new SqlProviderRepository(database().db);
  const connections = (db: Kysely<Database> = database().db) => new SqlConnectionRepository(db, testSealer(), { providers: new SqlProviderRepository(db) });
  const connect = async (providerId: string, userId = USER) => {
    await providers().save(provider(providerId));
    await connections().save({
      user_id: userId,
      provider_id: providerId,
      connection: { label: 'me', sub: 's', since: NOW },
      tokens: { access_token: randomBytes(8).toString('hex'), token_type: 'bearer', obtained_at: NOW },
      origin: `https://${providerId}.example`,
    });
  };
  const clientsOf = async (userId: string) => (await store().grantsOf(userId)).map((g) => `${g.client_id} ${g.provider_id}`);
  /** The clients registered (again, if they are): a grant is stored only to a client that exists. */
  const registered = async (...ids: string[]) => {
    for (const id of ids) await store().create(client(id), credentialHash(newCredential()));
  };

  it('when the user is not connected to the provider, then a grant is not stored; when they are, it is, and given again it replaces the scopes', async () => {
    const user = 'n'.repeat(26);
    await registered('bot');
    assert.equal(await store().grant({ ...grant('bot'), user_id: user }), false);
    await connect('second', user);
    assert.equal(await store().grant({ ...grant('bot'), user_id: user }), false, 'a connection to another provider is not one to this');
    assert.deepEqual(await clientsOf(user), []);
    await connect('idp', user);
    assert.equal(await store().grant({ ...grant('bot'), user_id: user }), true);
    assert.equal(await store().grant({ ...grant('bot'), user_id: user, scopes: ['openid', 'profile'], granted_at: NOW + 1 }), true);
    assert.deepEqual(await store().grantsOf(user), [{ ...grant('bot'), user_id: user, scopes: ['openid', 'profile'], granted_at: NOW + 1 }]);
  });

  for (const table of ['connections', 'token_grants'])
    for (const ending of ['a disconnect', "the provider's removal"])
      it(`when a grant is written during ${ending}, just after its delete of ${table}, then no grant is left behind the connection`, async () => {
        const user = (table === 'connections' ? 'c' : 'g') + (ending === 'a disconnect' ? 'd' : 'r').repeat(25);
        const providerId = `p-${user.slice(0, 2)}`;
        await connect(providerId, user);
        // Both clients exist: the late write can fail only for the connection.
        await registered('bot', 'late');
        assert.equal(await store().grant({ ...grant('bot', providerId), user_id: user }), true);
        const pause = new AfterEachDelete();
        const paused = database().db.withPlugin(pause);
        let late: Promise<boolean> | undefined;
        pause.step = async (deleted) => {
          if (deleted !== table || late) return;
          // Another request's write, on another connection: the deleting transaction waits for it a while, or it waits for that.
          late = store().grant({ ...grant('late', providerId), user_id: user });
          await Promise.race([late, sleep(250)]);
        };
        if (ending === 'a disconnect') {
          const { endedGrants } = await connections(paused).delete(user, providerId);
          assert.deepEqual(
            endedGrants.map((g) => g.client_id),
            ['bot'],
          );
        } else assert.equal(await new SqlProviderRepository(paused).remove(providerId), true);
        assert.ok(late, 'the write ran during the delete');
        assert.equal(await late, false, 'the write found no connection');
        assert.deepEqual(await clientsOf(user), [], 'no grant outlives the connection');
        assert.equal(await connections().get(user, providerId), undefined);
      });

  it('when the client does not exist, then a grant to it is not stored, though the user is connected', async () => {
    const user = 'x'.repeat(26);
    await connect('idp', user);
    await registered('bot');
    assert.equal(await store().grant({ ...grant('never'), user_id: user }), false);
    assert.deepEqual(await clientsOf(user), []);
    assert.equal(await store().grant({ ...grant('bot'), user_id: user }), true, 'the same grant to a client that exists is stored');
  });

  for (const table of ['token_clients', 'token_grants'])
    it(`when a grant is written during the client's removal, just after its delete of ${table}, then no grant is left behind the client`, async () => {
      const user = (table === 'token_clients' ? 'k' : 'm').repeat(26);
      const clientId = `gone-${table}`;
      await connect('idp', user);
      await registered(clientId);
      assert.equal(await store().grant({ ...grant(clientId), user_id: user }), true);
      const pause = new AfterEachDelete();
      const paused = database().db.withPlugin(pause);
      let late: Promise<boolean> | undefined;
      pause.step = async (deleted) => {
        if (deleted !== table || late) return;
        // Another request's write, on another connection: the deleting transaction waits for it a while, or it waits for that.
        late = store().grant({ ...grant(clientId), user_id: user, scopes: ['openid', 'profile'], granted_at: NOW + 1 });
        await Promise.race([late, sleep(250)]);
      };
      assert.equal(await new SqlTokenClientStore(paused).remove(clientId), true);
      assert.ok(late, 'the write ran during the removal');
      assert.equal(await late, false, 'the write found no client');
      assert.deepEqual(await clientsOf(user), [], 'no grant outlives the client');
      assert.equal(await store().get(clientId), undefined);
      const connection = database().db.selectFrom('connections').select('user_id').where('user_id', '=', user).where('provider_id', '=', 'idp');
      assert.ok(await connection.executeTakeFirst(), 'the connection stays');
    });

  it('when grants are given, used and the client removed, then the grants go with it', async () => {
    await connect('idp');
    await registered('bot', 'other');
    await store().grant(grant('bot'));
    await store().grant(grant('other'));
    await store().touch('bot', USER, 'idp', NOW + 5);
    assert.equal((await store().getGrant(USER, 'bot', 'idp'))?.last_used_at, NOW + 5);
    assert.equal((await store().get('bot'))?.last_used_at, NOW + 5);
    assert.equal(await store().remove('bot'), true);
    assert.deepEqual(
      (await store().grantsOf(USER)).map((g) => g.client_id),
      ['other'],
    );
  });

  it("when the user disconnects or the admin removes the provider, then the user's grants there end", async () => {
    await connect('idp');
    await connect('second');
    await registered('other', 'alpha');
    await store().grant(grant('other', 'second'));
    await store().grant(grant('alpha'));
    await store().touch('alpha', USER, 'idp', NOW + 7);
    const atIdp = (await store().grantsOf(USER)).filter((g) => g.provider_id === 'idp');
    assert.deepEqual(
      atIdp.map((g) => g.client_id),
      ['alpha', 'other'],
    );
    assert.deepEqual(
      await connections().delete(USER, 'idp'),
      { deleted: true, endedGrants: atIdp },
      'the delete answers the grants it removed, as grantsOf lists them',
    );
    assert.deepEqual(await connections().delete(USER, 'idp'), { deleted: false, endedGrants: [] });
    assert.equal(await store().getGrant(USER, 'other', 'idp'), undefined);
    assert.ok(await store().getGrant(USER, 'other', 'second'), 'a grant at another provider stays');
    assert.equal(await providers().remove('second'), true);
    assert.deepEqual(await store().grantsOf(USER), []);
  });
});
