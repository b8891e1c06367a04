/**
 * The token API's scope check against what the token really carries, on
 * SQLite and PostgreSQL: the provider answers its token responses without
 * scope (RFC 6749 §5.1 allows that when the scope is the one requested). A
 * user connects while the provider asks for `openid profile email
 * offline_access`; the admin then edits it down to `openid` and registers a
 * client with `openid`, which the user allows. The user's token still carries
 * the scopes it was issued with, so it is refused (scope_not_allowed), not
 * handed out as an `openid` token; a user who connects after the edit gets
 * theirs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toProviderConfig, type StoredProvider } from '../../../src/core/provider_records.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import { issuedConnection } from '../../support/issued_connection.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { BACKENDS } from '../../support/standalone_db.js';
import { startListeningService, type ListeningService } from '../../support/standalone_service.js';

const ALICE = 'a'.repeat(26);
const BOB = 'b'.repeat(26);
const ADMIN = 'r'.repeat(26);

for (const backend of BACKENDS) {
  describe(`the token API checks the scope the token was issued with [${backend}]`, () => {
    let running: ListeningService;
    let op: StartedOidcProvider;
    const credential = newCredential();

    const repositories = () => running.service.standalone!.repositories;
    const token = async (user: string) => {
      const res = await fetch(`${running.root}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: JSON.stringify({ user_id: user, provider: 'idp' }),
      });
      return { status: res.status, ...((await res.json()) as { access_token?: string; scope?: string; error?: string; error_description?: string }) };
    };
    /** The provider as the admin saved it, with these scopes. */
    const saveProvider = async (scopes: string[]): Promise<StoredProvider> => {
      const { client_id, client_secret = '' } = op.clients.post;
      const now = Date.now();
      const bare: StoredProvider = {
        id: 'idp',
        display_name: 'IdP',
        preset: 'oidc',
        issuer: op.issuer,
        client_id,
        auth: 'client_secret_post',
        scopes,
        created_at: now,
        updated_at: now,
      };
      const sealed_secret = running.service.standalone!.deps!.sealer.seal(client_secret, clientSecretSlot(toProviderConfig(bare, undefined)));
      await repositories().providers.save({ ...bare, sealed_secret });
      return bare;
    };
    /** The user signs in at the provider; the connection is stored as a completed connect stores it. */
    const connect = async (user: string, stored: StoredProvider) => {
      const row = await issuedConnection(op, toProviderConfig(stored, op.clients.post.client_secret), user, `${user.slice(0, 5)}-at-idp`);
      await repositories().connections.save(row);
    };
    const allow = (user: string) =>
      repositories().tokenClients.grant({ user_id: user, client_id: 'reader', provider_id: 'idp', scopes: ['openid'], granted_at: Date.now() });

    before(async () => {
      op = await startOidcProvider({ omitTokenScope: true });
      running = await startListeningService({ storage: backend, mattermostUrl: () => 'http://127.0.0.1:9' });
    });
    after(async () => {
      await running?.close();
      await op?.close();
    });

    it('when the provider was narrowed after the user connected, then the token is refused, not issued as the narrower scope', async () => {
      await connect(ALICE, await saveProvider(['openid', 'profile', 'email', 'offline_access']));
      const narrowed = await saveProvider(['openid']);
      const now = Date.now();
      const client = { id: 'reader', name: 'Reader', providers: ['idp'], scopes: ['openid'], sources: [], rate_per_minute: 60, created_by: ADMIN };
      await repositories().tokenClients.create({ ...client, created_at: now, credential_at: now }, credentialHash(credential));
      await allow(ALICE);
      const refused = await token(ALICE);
      assert.deepEqual([refused.status, refused.error, refused.access_token], [403, 'scope_not_allowed', undefined]);
      assert.match(refused.error_description ?? '', /carries scopes this client was not granted \(profile email\)/);

      await connect(BOB, narrowed);
      await allow(BOB);
      const issued = await token(BOB);
      assert.deepEqual([issued.status, issued.scope], [200, 'openid'], 'a token issued for openid alone is handed out');
      assert.ok(issued.access_token);
    });
  });
}
