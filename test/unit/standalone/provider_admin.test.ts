import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { signDialogState } from '../../../src/hosts/standalone/dialogs/state.js';
import { SECRET_IN_TEXT } from '../../../src/hosts/standalone/admin/provider_command.js';
import { openProvider } from '../../../src/core/providers.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

const NOT_ADMIN = 'Only system admins can manage OAuth2 providers.';
const PREFILLED = 'The dialog opened with what you typed; nothing changes until you submit it.';

interface Opened {
  callback_id: string;
  state: string;
  introduction_text?: string;
  elements: Array<{ name: string; type: string; default?: string; display_name: string; refresh?: boolean }>;
}

describe('standalone /oauth2 provider (admins)', () => {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let admin: FakeUser;
  let alice: FakeUser;
  const text = async (res: Response) => String(((await res.json()) as { text?: string }).text ?? '');
  const secret = () => op.clients.post.client_secret!;
  const typedArgs = (id: string) =>
    `--preset oidc --id ${id} --display_name "Test ${id}" --issuer ${op.issuer} --client_id ${op.clients.post.client_id} --auth client_secret_post`;
  const opened = (index = 0) => world.mm.dialogs[index]?.dialog as unknown as Opened;
  const shown = (dialog: Opened, name: string) => dialog.elements.find((e) => e.name === name)?.default;
  /** What the webapp sends when the admin submits the dialog as it is, plus `extra`. */
  const asShown = (dialog: Opened, extra: Record<string, string | boolean> = {}) => ({
    ...Object.fromEntries(
      dialog.elements.filter((e) => e.default !== undefined && e.default !== '').map((e) => [e.name, e.type === 'bool' ? e.default === 'true' : e.default]),
    ),
    ...extra,
  });
  const submit = (dialog: Opened, submission: Record<string, unknown>, user = admin) =>
    world.submitDialog({ callback_id: dialog.callback_id, state: dialog.state, user_id: user.id, submission });
  const addStored = (id: string) =>
    world.addProvider(
      {
        id,
        display_name: `Test ${id}`,
        preset: 'oidc',
        issuer: op.issuer,
        client_id: op.clients.post.client_id,
        auth: 'client_secret_post',
        scopes: ['openid', 'email'],
      },
      secret(),
    );

  before(async () => {
    op = await startOidcProvider();
    world = await startStandaloneWorld();
    admin = world.mm.addUser('root', 'system_user system_admin');
    alice = world.mm.addUser('alice');
    // The test provider listens on http://127.0.0.1: the engine must allow this machine's network here.
    world.deps.engine = createOAuthEngine({ fetch, now: Date.now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true });
  });
  after(async () => {
    await world.close();
    await op.close();
  });
  beforeEach(() => {
    world.stores.providers.rows.clear();
    world.mm.dialogs.length = 0;
    world.mm.posts.length = 0;
  });

  it('when an admin types add arguments, then nothing is stored, the dialog opens prefilled with them and saving it registers the provider', async () => {
    assert.equal(await text(await world.command(admin, `provider add ${typedArgs('idp')}`)), PREFILLED);
    assert.equal(world.stores.providers.rows.size, 0, 'typed arguments store nothing');
    const dialog = opened();
    assert.equal(dialog.callback_id, 'provider.add');
    assert.deepEqual([shown(dialog, 'id'), shown(dialog, 'display_name'), shown(dialog, 'issuer')], ['idp', 'Test idp', op.issuer]);
    assert.match(dialog.introduction_text ?? '', new RegExp(`${world.rootUrl}/standalone/complete/idp\``));
    for (const e of dialog.elements) assert.ok(Buffer.byteLength(e.display_name) <= 24, e.display_name);
    assert.deepEqual(await submit(dialog, asShown(dialog, { client_secret: secret() })), {});
    const stored = await world.stores.providers.get('idp');
    assert.equal(stored?.display_name, 'Test idp');
    assert.ok(stored?.sealed_secret && !stored.sealed_secret.includes(secret()));
    assert.equal(openProvider(stored, world.deps).client_secret, secret());
    assert.match(world.mm.posts[0]?.message ?? '', /^Registered \*\*Test idp\*\*/);
  });

  for (const spelling of ['--client_secret', '--client-secret', '--CLIENT-SECRET', '--client_secret=', '—client_secret', '--clientSecret']) {
    it(`when an admin types a secret as ${spelling}, then it is refused saying why, without echoing it, and nothing is stored or opened`, async () => {
      const typed = spelling.endsWith('=') ? `${spelling}${secret()}` : `${spelling} ${secret()}`;
      const answer = await text(await world.command(admin, `provider add ${typedArgs('leak')} ${typed}`));
      assert.equal(answer, SECRET_IN_TEXT);
      assert.match(answer, /a URL that a team admin can change, so a secret typed there is not private/);
      assert.equal(world.mm.dialogs.length, 0, 'no dialog is prefilled with it');
      assert.equal(world.stores.providers.rows.size, 0);
      assert.ok(!answer.includes(secret()) && !world.logs.some((line) => line.includes(secret())), 'the secret is in neither the answer nor the log');
    });
  }

  it('when an admin types a secret with edit or register, then it is refused the same way and the stored provider is unchanged', async () => {
    await addStored('kept');
    assert.equal(await text(await world.command(admin, `provider edit kept --display_name X --client_secret ${secret()}`)), SECRET_IN_TEXT);
    assert.equal(await text(await world.command(admin, `provider register --id reg --client-secret ${secret()}`)), SECRET_IN_TEXT);
    assert.equal((await world.stores.providers.get('kept'))?.display_name, 'Test kept');
    assert.equal(world.mm.dialogs.length, 0);
  });

  it('when an admin types edit with one field, then the dialog starts from the stored provider with only that field changed, and saving it keeps the rest', async () => {
    await addStored('one');
    const answer = await text(await world.command(admin, 'provider edit one --display_name "New name" --preset github'));
    assert.equal(answer, `${PREFILLED} Left out (not a field of this dialog, or not one that can change here): \`--preset\`.`);
    const dialog = opened();
    assert.deepEqual(
      ['display_name', 'issuer', 'client_id', 'scopes', 'auth', 'client_secret'].map((n) => shown(dialog, n)),
      ['New name', op.issuer, op.clients.post.client_id, 'openid email', 'client_secret_post', undefined],
    );
    assert.equal((await world.stores.providers.get('one'))?.display_name, 'Test one', 'nothing changes before the dialog is saved');
    assert.deepEqual(await submit(dialog, asShown(dialog)), {});
    const stored = await world.stores.providers.get('one');
    assert.deepEqual([stored?.display_name, stored?.preset, stored?.scopes, stored?.issuer], ['New name', 'oidc', ['openid', 'email'], op.issuer]);
    assert.equal(openProvider(stored!, world.deps).client_secret, secret(), 'the secret is kept');
  });

  it('when an admin types remove --confirm, then nothing is removed until the removal dialog is ticked and saved', async () => {
    await addStored('gone');
    const answer = await text(await world.command(admin, 'provider remove gone --confirm'));
    assert.match(answer, /Left out .*`--confirm`/);
    assert.ok(await world.stores.providers.get('gone'), 'the command text removes nothing');
    const dialog = opened();
    assert.equal(dialog.callback_id, 'provider.remove');
    assert.equal(shown(dialog, 'confirm'), 'false');
    assert.deepEqual(await submit(dialog, {}), { errors: { confirm: 'Tick to confirm' } });
    assert.deepEqual(await submit(dialog, { confirm: true }), {});
    assert.equal(await world.stores.providers.get('gone'), undefined);
    assert.match(world.mm.posts[0]?.message ?? '', /^Removed \*\*Test gone\*\*/);
  });

  it('when a change command comes without a trigger id, then it is refused before it runs and changes nothing', async () => {
    await addStored('stay');
    for (const command of [`provider add ${typedArgs('x')}`, 'provider remove stay', 'provider edit stay --display_name Y']) {
      const response = await world.command(admin, command, { trigger_id: undefined });
      assert.equal(response.status, 401, command);
      assert.match(await text(response), /no trigger id signed by Mattermost/, command);
    }
    assert.deepEqual([...world.stores.providers.rows.keys()], ['stay']);
    assert.equal((await world.stores.providers.get('stay'))?.display_name, 'Test stay');
  });

  it('when a dialog submission has a bad field, then the error comes back on that field and nothing is saved', async () => {
    await world.command(admin, 'provider add --preset oidc');
    const submission = { preset: 'oidc', id: 'Bad Id', display_name: 'X', issuer: op.issuer, client_id: 'c', auth: 'none' };
    const answer = await submit(opened(), submission);
    assert.deepEqual(Object.keys((answer as { errors: Record<string, string> }).errors), ['id']);
    assert.equal(world.stores.providers.rows.size, 0);
  });

  it('when a non-admin runs the command or submits an admin dialog, then it is refused and nothing changes', async () => {
    assert.equal(await text(await world.command(alice, `provider add ${typedArgs('nope')}`)), NOT_ADMIN);
    assert.equal(await text(await world.command(alice, 'provider list')), NOT_ADMIN);
    assert.equal(await text(await world.command(alice, 'report')), NOT_ADMIN);
    assert.equal(world.mm.dialogs.length, 0);
    const state = signDialogState(world.deps.dialogKey, { user_id: alice.id, purpose: 'provider.add', target: '' }, Date.now());
    const submission = { preset: 'oidc', id: 'nope', display_name: 'N', issuer: op.issuer, client_id: 'c', auth: 'none' };
    assert.deepEqual(await world.submitDialog({ callback_id: 'provider.add', state, user_id: alice.id, submission }), {
      error: 'Only system admins can do this.',
    });
    assert.equal(world.stores.providers.rows.size, 0);
  });

  it('when an admin loses the role between the command and the submission, then the submission is refused', async () => {
    const demoted = world.mm.addUser('demoted', 'system_user system_admin');
    await world.command(demoted, 'provider add');
    demoted.roles = 'system_user';
    const submission = { preset: 'oidc', id: 'late', display_name: 'Late', issuer: op.issuer, client_id: 'c', auth: 'none' };
    assert.deepEqual(await submit(opened(), submission, demoted), { error: 'Only system admins can do this.' });
    assert.equal(world.stores.providers.rows.size, 0);
  });

  it('when an admin edits through the dialog, then the signed target is edited, not a provider named in the submission', async () => {
    await addStored('one');
    await addStored('two');
    await world.command(admin, 'provider edit one');
    const dialog = opened();
    assert.ok(!dialog.elements.some((e) => e.name === 'id' || e.name === 'preset'));
    const submission = { provider: 'two', display_name: 'Renamed', issuer: op.issuer, client_id: op.clients.post.client_id, auth: 'client_secret_post' };
    assert.deepEqual(await submit(dialog, submission), {});
    assert.equal((await world.stores.providers.get('one'))?.display_name, 'Renamed');
    assert.equal((await world.stores.providers.get('two'))?.display_name, 'Test two');
  });

  it('when an admin lists and tests, then the answers say so and list shows no secret', async () => {
    await addStored('kept');
    const tested = await text(await world.command(admin, 'provider test kept'));
    assert.match(tested, /^#### Test kept: all checks passed/);
    assert.match(tested, new RegExp(`must be exactly \`${world.rootUrl}/standalone/complete/kept\``));
    const listed = await text(await world.command(admin, 'provider list'));
    assert.ok(!listed.includes(secret()));
    assert.match(listed, /\*\*Test kept\*\* `kept`/);
  });
});
