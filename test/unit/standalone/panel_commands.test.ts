// The hidden subcommands the webapp panel runs through commands/execute: an
// empty-text ephemeral answer (Mattermost posts nothing) with the result in props.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { PANEL_PROP } from '../../../src/hosts/standalone/panel/panel_commands.js';
import { type FakeUser } from '../../support/standalone/fake_mattermost.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';

interface Answer {
  response_type?: string;
  text?: string;
  props?: Record<string, { type: string; text?: string; data?: Record<string, unknown> }>;
}

describe('standalone hidden panel subcommands', () => {
  let world: StandaloneWorld;
  let idp: StartedOidcProvider;
  let alice: FakeUser;
  let admin: FakeUser;

  const run = async (user: FakeUser, text: string): Promise<Answer> => {
    const response = await world.command(user, text);
    assert.equal(response.status, 200);
    return (await response.json()) as Answer;
  };
  const answerOf = (body: Answer) => {
    assert.equal(body.response_type, 'ephemeral');
    assert.equal(body.text, '', 'an empty text: Mattermost posts nothing');
    const answer = body.props?.[PANEL_PROP];
    assert.ok(answer, 'the result is in props');
    return answer;
  };
  const connectAlice = () =>
    world.stores.connections.save({
      user_id: alice.id,
      provider_id: 'idp',
      connection: { label: 'alice@idp', sub: 'alice', since: 1_700_000_000_000, expires_at: 1_800_000_000_000 },
      tokens: { access_token: 'at-alice', token_type: 'Bearer', obtained_at: 1_700_000_000_000, expires_at: 1_800_000_000_000 },
      origin: idp.issuer,
    });

  before(async () => {
    world = await startStandaloneWorld({ tables: createServiceTables() });
    idp = await startOidcProvider();
    // The test provider is plain http on 127.0.0.1, as APP_ALLOW_PRIVATE_NETWORK=true allows.
    world.deps.engine = createOAuthEngine({ fetch, now: Date.now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true });
    alice = world.mm.addUser('alice');
    admin = world.mm.addUser('root', 'system_user system_admin');
  });
  after(async () => {
    await world.close();
    await idp.close();
  });
  beforeEach(async () => {
    world.stores.providers.rows.clear();
    world.stores.connections.rows.clear();
    world.stores.oneTime.rows.clear();
    idp.resetCounters();
    const client = idp.clients.post;
    await world.addProvider(
      { id: 'idp', display_name: 'Test IdP', preset: 'oidc', issuer: idp.issuer, client_id: client.client_id, auth: 'client_secret_post', scopes: ['openid'] },
      client.client_secret,
    );
    await world.addProvider(
      { id: 'other', display_name: 'Other', preset: 'oidc', issuer: 'http://127.0.0.1:9', client_id: 'c', auth: 'client_secret_post', scopes: ['openid'] },
      's',
    );
  });

  it('when a user runs __panel, then the answer lists every provider with their state and no admin flag', async () => {
    await connectAlice();
    const answer = answerOf(await run(alice, '__panel'));
    assert.equal(answer.type, 'ok');
    assert.deepEqual(answer.data, {
      is_admin: false,
      providers: [
        {
          id: 'idp',
          display_name: 'Test IdP',
          preset: 'oidc',
          connected: true,
          account_label: 'alice@idp',
          connected_at: 1_700_000_000_000,
          expires_at: 1_800_000_000_000,
        },
        { id: 'other', display_name: 'Other', preset: 'oidc', connected: false },
      ],
    });
  });

  it('when a system admin runs __panel, then is_admin is true (Mattermost says so, not the caller)', async () => {
    assert.equal(answerOf(await run(admin, '__panel')).data?.is_admin, true);
  });

  it('when a user runs __connect, then the answer carries a single-use connect link bound to that user', async () => {
    const answer = answerOf(await run(alice, '__connect idp'));
    const url = new URL(String(answer.data?.connect_url));
    assert.equal(`${url.origin}${url.pathname}`, `${world.rootUrl}/standalone/connect`);
    const [record] = [...world.stores.oneTime.rows.values()];
    assert.equal(record?.user_id, alice.id);
    assert.equal(record?.provider_id, 'idp');
  });

  it('when __connect names an unknown provider, then the error is in props and no link is made', async () => {
    const answer = answerOf(await run(alice, '__connect nope'));
    assert.equal(answer.type, 'error');
    assert.match(answer.text ?? '', /Provider `nope` is not registered/);
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  it('when a connected user runs __disconnect, then the token is revoked at the provider and the row deleted', async () => {
    await connectAlice();
    const answer = answerOf(await run(alice, '__disconnect idp'));
    assert.equal(answer.type, 'ok');
    assert.match(answer.text ?? '', /Disconnected your Test IdP account\. The token was revoked at Test IdP\./);
    assert.equal(idp.counters.revocation, 1);
    assert.equal(world.stores.connections.rows.size, 0);
  });

  it('when the user is not connected, then __disconnect refuses and revokes nothing', async () => {
    const answer = answerOf(await run(alice, '__disconnect idp'));
    assert.deepEqual(answer, { type: 'error', text: 'You are not connected to Test IdP.' });
    assert.equal(idp.counters.revocation, 0);
  });

  it('when the service serves no token API, then __panel carries no grants and __revoke refuses in props', async () => {
    const providers = (answerOf(await run(alice, '__panel')).data?.providers ?? []) as Array<Record<string, unknown>>;
    assert.deepEqual(
      providers.map((p) => 'grants' in p),
      [false, false],
    );
    assert.deepEqual(answerOf(await run(alice, '__revoke some-client idp')), {
      type: 'error',
      text: 'This OAuth2 Connect service serves no token API, so it keeps no grants.',
    });
  });

  it('when a browser page asks the service directly (from any origin, the Mattermost site too), then it grants no cross-origin access: the panel only reaches it through Mattermost', async () => {
    for (const origin of [world.mm.url, 'https://evil.example']) {
      const preflight = await fetch(`${world.rootUrl}/standalone/command`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null, origin);
    }
    const answer = await world.command(alice, '__panel');
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });

  it('when help runs, or an unknown subcommand, then the hidden subcommands are not listed', async () => {
    for (const text of ['help', 'nonsense']) {
      const body = await run(alice, text);
      assert.doesNotMatch(body.text ?? '', /__/);
      assert.match(body.text ?? '', /connect/);
    }
  });
});
