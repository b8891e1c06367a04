/**
 * A stored secret the standalone host cannot open, on every surface a user
 * meets it: the command, the webapp panel, an admin dialog and the connect
 * page. Each says what the Apps host says (the key is missing or wrong, the
 * value belongs elsewhere, or its format is refused) instead of "something
 * went wrong", and the admin finds why in the log. Providers and connections
 * are in SQLite, sealed as the service seals them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { toProviderConfig, type StoredProvider } from '../../../src/core/provider_records.js';
import { createRepositories } from '../../../src/hosts/standalone/db/index.js';
import type { BoundSealer, SealBinding } from '../../../src/hosts/standalone/db/index.js';
import { signDialogState } from '../../../src/hosts/standalone/dialogs/state.js';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { PANEL_PROP } from '../../../src/hosts/standalone/panel/panel_commands.js';
import { hashValue, randomValue } from '../../../src/hosts/standalone/secrets.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import { SESSION_COOKIE } from '../../../src/hosts/standalone/signin/cookies.js';
import { createConnectLink } from '../../../src/hosts/standalone/signin/links.js';
import { createTokenCipher } from '../../../packages/engine/src/crypto.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';
import { createScratch, type Scratch } from '../../support/standalone_db.js';
import { sealV1 } from '../../support/sealed_slots.js';

const KEY_TEXT =
  /^The OAuth2 Connect service cannot decrypt its stored secrets: its encryption key is missing or wrong\. A system admin must restore the key \(APP_ENCRYPTION_KEY \/ APP_PREVIOUS_ENCRYPTION_KEYS\)\. Nothing was deleted\.$/;
const NOW = Date.now();

function provider(id: string): StoredProvider {
  const bare = { display_name: id.toUpperCase(), preset: 'oidc' as const, client_id: `cid-${id}`, auth: 'client_secret_post' as const, scopes: ['openid'] };
  return { id, ...bare, issuer: `https://${id}.example`, created_at: NOW, updated_at: NOW };
}

describe('standalone: a stored secret that does not open', () => {
  let world: StandaloneWorld;
  let scratch: Scratch;
  let alice: FakeUser;
  let admin: FakeUser;
  /** A key the service does not have (removed from the key list, or never given to this replica). */
  const gone: BoundSealer = createTokenCipher({ keys: [{ id: 'gone', key: randomBytes(32) }], currentKeyId: 'gone' });

  async function saveProvider(id: string, sealedSecret: (binding: SealBinding) => string) {
    const bare = provider(id);
    await world.deps.providers.save({ ...bare, sealed_secret: sealedSecret(clientSecretSlot(toProviderConfig(bare, undefined))) });
  }

  async function connect(user: FakeUser, providerId: string, sealer: BoundSealer) {
    const database = await scratch.open();
    await createRepositories(database, sealer).connections.save({
      user_id: user.id,
      provider_id: providerId,
      connection: { label: `${user.username}@${providerId}`, sub: user.id, since: NOW },
      tokens: { access_token: `at-${providerId}`, token_type: 'Bearer', obtained_at: NOW },
      origin: `https://${providerId}.example`,
    });
  }

  const textOf = async (user: FakeUser, command: string) => ((await (await world.command(user, command)).json()) as { text: string }).text;
  const logged = (where: string, outcome: string) =>
    world.logs.some((line) => line.includes(`${where} failed: a stored secret does not open`) && line.includes(`"outcome":"${outcome}"`));

  before(async () => {
    world = await startStandaloneWorld({ tables: createServiceTables() });
    alice = world.mm.addUser('alice');
    admin = world.mm.addUser('root', 'system_user system_admin');
    scratch = await createScratch('sqlite');
    const repositories = createRepositories(await scratch.open({ migrate: true }), world.deps.sealer);
    Object.assign(world.deps, { providers: repositories.providers, connections: repositories.connections });
    await saveProvider('fine', (binding) => world.deps.sealer.seal('secret-fine', binding));
    await saveProvider('lost', (binding) => gone.seal('secret-lost', binding));
    await saveProvider('moved', () => world.deps.sealer.seal('secret-fine', clientSecretSlot(toProviderConfig(provider('fine'), undefined))));
    await saveProvider('old', () => sealV1('test', world.encryptionKey, 'secret-old'));
    await connect(alice, 'fine', gone);
    for (const id of ['lost', 'moved', 'old']) await connect(alice, id, world.deps.sealer);
  });
  after(async () => {
    await world.close();
    await scratch.dispose();
  });

  it("when a user's token was sealed with a key the service no longer has, then /oauth2 status gives the key message, not 'went wrong'", async () => {
    assert.match(await textOf(alice, 'status'), KEY_TEXT);
    assert.ok(logged('command', 'key_error'), 'the admin finds the key problem in the log');
    assert.ok(
      world.logs.some((line) => line.includes('sealed with the key \\"gone\\"')),
      'the log names the missing key id',
    );
  });

  it('when the same token is read by the webapp panel, then the panel answer carries the key message', async () => {
    const body = (await (await world.command(alice, '__panel')).json()) as { props: Record<string, { type: string; text: string }> };
    assert.equal(body.props[PANEL_PROP]?.type, 'error');
    assert.match(body.props[PANEL_PROP]?.text ?? '', KEY_TEXT);
    assert.ok(logged('panel command', 'key_error'));
  });

  it("when a provider's client secret was sealed with a missing key, then whoami gives the key message", async () => {
    assert.match(await textOf(alice, 'whoami lost'), KEY_TEXT);
  });

  it("when an admin submits the edit dialog of that provider, then the dialog's error is the key message and nothing changes", async () => {
    const state = signDialogState(world.deps.dialogKey, { user_id: admin.id, purpose: 'provider.edit', target: 'lost' }, Date.now());
    const answer = await world.submitDialog({
      callback_id: 'provider.edit',
      state,
      user_id: admin.id,
      team_id: world.teamId,
      submission: { display_name: 'Renamed' },
    });
    assert.match(String(answer.error), KEY_TEXT);
    assert.equal((await world.deps.providers.get('lost'))?.display_name, 'LOST');
    assert.ok(logged('dialog', 'key_error'));
  });

  it('when a user opens a connect link to that provider, then the page shows the key message', async () => {
    const session = randomValue();
    await world.deps.sessions.create({ id_hash: hashValue(session), user_id: alice.id, created_at: Date.now(), expires_at: Date.now() + 60_000 });
    const link = await createConnectLink(world.deps, alice.id, 'lost');
    const page = await fetch(link, { headers: { cookie: `${SESSION_COOKIE}=${session}` }, redirect: 'manual' });
    assert.equal(page.status, 500);
    const html = await page.text();
    assert.match(html, /cannot decrypt its stored secrets: its encryption key is missing or wrong/);
    assert.doesNotMatch(html, /went wrong/);
    assert.ok(logged('connect (connect)', 'key_error'));
  });

  it('when the provider sends a user back to a provider whose secret does not open, then the page and the direct message both give the key message', async () => {
    const session = randomValue();
    const state = randomValue();
    await world.deps.sessions.create({ id_hash: hashValue(session), user_id: alice.id, created_at: Date.now(), expires_at: Date.now() + 60_000 });
    const flow = {
      key_hash: hashValue(state),
      purpose: 'flow' as const,
      user_id: alice.id,
      provider_id: 'lost',
      data: JSON.stringify({ s: hashValue(session) }),
    };
    await world.deps.oneTime.put({ ...flow, expires_at: Date.now() + 60_000 });
    const [posted, logLines] = [world.mm.posts.length, world.logs.length];
    const page = await fetch(`${world.rootUrl}/standalone/complete/lost?state=${state}&code=c`, { headers: { cookie: `${SESSION_COOKIE}=${session}` } });
    assert.equal(page.status, 500);
    assert.match(await page.text(), /cannot decrypt its stored secrets: its encryption key is missing or wrong/);
    const message = world.mm.posts.slice(posted).find((p) => p.to === alice.id)?.message ?? '';
    assert.match(message, /^Connecting your LOST account failed: The OAuth2 Connect service cannot decrypt its stored secrets/);
    const lines = world.logs.slice(logLines).filter((line) => line.includes('a stored secret does not open'));
    assert.equal(lines.length, 1, 'one log line');
    assert.ok(logged('connect (complete)', 'key_error'), 'written by the page');
  });

  it("when a client secret was copied from another provider's record, then the message says it does not belong here", async () => {
    assert.match(await textOf(alice, 'whoami moved'), /does not belong here.*Nothing was deleted or sent\. Reconnect, or .*`\/oauth2 provider edit`/);
    assert.ok(logged('command', 'wrong_binding'));
  });

  it('when APP_ACCEPT_UNBOUND_SEALED=false and a client secret is in the first format, then the message says it is refused and why', async () => {
    const lenient = world.deps.sealer;
    world.deps.sealer = createTokenCipher({ keys: [{ id: 'test', key: world.encryptionKey }], currentKeyId: 'test', acceptUnbound: false });
    try {
      assert.match(await textOf(alice, 'whoami old'), /first sealed format \(v1.*APP_ACCEPT_UNBOUND_SEALED=false\)\. Nothing was deleted\. Reconnect/);
      assert.ok(logged('command', 'unbound_refused'));
    } finally {
      world.deps.sealer = lenient;
    }
  });
});
