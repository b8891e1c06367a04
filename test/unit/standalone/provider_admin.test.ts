import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOAuthEngine } from '../../../src/oauth/engine.js';
import { signDialogState } from '../../../src/hosts/standalone/dialogs/state.js';
import { openProvider } from '../../../src/hosts/standalone/providers.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

const NOT_ADMIN = 'Only system admins can manage OAuth2 providers.';

describe('standalone /oauth2 provider (admins)', () => {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let admin: FakeUser;
  let alice: FakeUser;
  const text = async (res: Response) => String(((await res.json()) as { text?: string }).text ?? '');
  const addArgs = (id: string) =>
    `provider add --preset oidc --id ${id} --display_name "Test ${id}" --issuer ${op.issuer} --client_id ${op.clients.post.client_id} --client_secret ${op.clients.post.client_secret}`;

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

  it('when an admin types complete arguments, then the provider is registered with its secret sealed and usable', async () => {
    const res = await world.command(admin, addArgs('idp'));
    assert.equal(res.status, 200);
    assert.equal(await text(res), 'Registered **Test idp**. Users connect with `/oauth2 connect idp`.');
    const stored = await world.stores.providers.get('idp');
    assert.equal(stored?.issuer, op.issuer);
    assert.ok(stored?.sealed_secret && !stored.sealed_secret.includes(op.clients.post.client_secret!));
    assert.equal(openProvider(stored, world.deps).client_secret, op.clients.post.client_secret);
    assert.equal(world.mm.dialogs.length, 0);
  });

  it('when typed arguments are incomplete, then nothing is saved and the dialog opens prefilled', async () => {
    const res = await world.command(admin, `provider add --preset oidc --id half --issuer ${op.issuer}`);
    assert.match(await text(res), /^Please correct: .*client_id\. The dialog opened with what you typed\.$/);
    assert.equal(world.stores.providers.rows.size, 0);
    const dialog = world.mm.dialogs[0]?.dialog as { elements: Array<{ name: string; default?: string; display_name: string }> };
    assert.equal(dialog.elements.find((e) => e.name === 'id')?.default, 'half');
    assert.equal(dialog.elements.find((e) => e.name === 'issuer')?.default, op.issuer);
    for (const e of dialog.elements) assert.ok(Buffer.byteLength(e.display_name) <= 24, e.display_name);
  });

  it('when an admin submits the add dialog, then the provider is saved, the dialog closes and the bot tells the result', async () => {
    assert.deepEqual(await world.command(admin, 'provider add --preset oidc').then((r) => r.json()), {});
    const opened = world.mm.dialogs[0]?.dialog as { state: string; callback_id: string; introduction_text: string };
    assert.equal(opened.callback_id, 'provider.add');
    assert.match(opened.introduction_text, new RegExp(`${world.rootUrl}/standalone/complete/oidc`));
    const submission = {
      preset: 'oidc',
      id: 'dlg',
      display_name: 'Dialog IdP',
      issuer: op.issuer,
      client_id: op.clients.post.client_id,
      client_secret: op.clients.post.client_secret!,
      auth: 'client_secret_post',
    };
    const answer = await world.submitDialog({ callback_id: 'provider.add', state: opened.state, user_id: admin.id, submission });
    assert.deepEqual(answer, {});
    assert.equal((await world.stores.providers.get('dlg'))?.display_name, 'Dialog IdP');
    assert.equal(world.mm.posts[0]?.to, admin.id);
    assert.match(world.mm.posts[0]?.message ?? '', /^Registered \*\*Dialog IdP\*\*/);
  });

  it('when a dialog submission has a bad field, then the error comes back on that field and nothing is saved', async () => {
    await world.command(admin, 'provider add --preset oidc');
    const state = String(world.mm.dialogs[0]?.dialog.state);
    const submission = { preset: 'oidc', id: 'Bad Id', display_name: 'X', issuer: op.issuer, client_id: 'c', auth: 'none' };
    const answer = await world.submitDialog({ callback_id: 'provider.add', state, user_id: admin.id, submission });
    assert.deepEqual(Object.keys((answer as { errors: Record<string, string> }).errors), ['id']);
    assert.equal(world.stores.providers.rows.size, 0);
  });

  it('when a non-admin runs the command or submits an admin dialog, then it is refused and nothing changes', async () => {
    assert.equal(await text(await world.command(alice, addArgs('nope'))), NOT_ADMIN);
    assert.equal(await text(await world.command(alice, 'provider list')), NOT_ADMIN);
    assert.equal(await text(await world.command(alice, 'report')), NOT_ADMIN);
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
    const state = String(world.mm.dialogs[0]?.dialog.state);
    demoted.roles = 'system_user';
    const submission = { preset: 'oidc', id: 'late', display_name: 'Late', issuer: op.issuer, client_id: 'c', auth: 'none' };
    assert.deepEqual(await world.submitDialog({ callback_id: 'provider.add', state, user_id: demoted.id, submission }), {
      error: 'Only system admins can do this.',
    });
    assert.equal(world.stores.providers.rows.size, 0);
  });

  it('when a submission is forged (wrong state, another user, expired, other purpose), then it is refused and nothing is saved', async () => {
    await world.command(admin, 'provider add');
    const state = String(world.mm.dialogs[0]?.dialog.state);
    const other = world.mm.addUser('other', 'system_user system_admin');
    const submission = { preset: 'oidc', id: 'forged', display_name: 'F', issuer: op.issuer, client_id: 'c', auth: 'none' };
    const expired = signDialogState(world.deps.dialogKey, { user_id: admin.id, purpose: 'provider.add', target: '' }, Date.now() - 60 * 60 * 1000);
    const answers = [
      await world.submitDialog({ callback_id: 'provider.add', state: `${state}x`, user_id: admin.id, submission }),
      await world.submitDialog({ callback_id: 'provider.add', state, user_id: other.id, submission }),
      await world.submitDialog({ callback_id: 'provider.add', state: expired, user_id: admin.id, submission }),
      await world.submitDialog({ callback_id: 'provider.register', state, user_id: admin.id, submission }),
    ];
    assert.deepEqual(answers, [
      { error: 'This dialog is not one the service opened.' },
      { error: 'This dialog was opened for another user.' },
      { error: 'This dialog has expired. Run the command again.' },
      { error: 'This dialog does not match its action.' },
    ]);
    assert.equal(world.stores.providers.rows.size, 0);
  });

  it('when an admin edits through the dialog, then the signed target is edited, not a provider named in the submission', async () => {
    await world.command(admin, addArgs('one'));
    await world.command(admin, addArgs('two'));
    await world.command(admin, 'provider edit one');
    const opened = world.mm.dialogs[0]?.dialog as { state: string; elements: Array<{ name: string }> };
    assert.ok(!opened.elements.some((e) => e.name === 'id' || e.name === 'preset'));
    const answer = await world.submitDialog({
      callback_id: 'provider.edit',
      state: opened.state,
      user_id: admin.id,
      submission: { provider: 'two', display_name: 'Renamed', issuer: op.issuer, client_id: op.clients.post.client_id, auth: 'client_secret_post' },
    });
    assert.deepEqual(answer, {});
    assert.equal((await world.stores.providers.get('one'))?.display_name, 'Renamed');
    assert.equal((await world.stores.providers.get('two'))?.display_name, 'Test two');
  });

  it('when an admin removes with --confirm, lists and tests, then the answers say so and list shows no secret', async () => {
    await world.command(admin, addArgs('gone'));
    await world.command(admin, addArgs('kept'));
    const tested = await text(await world.command(admin, 'provider test kept'));
    assert.match(tested, /^#### Test kept: all checks passed/);
    assert.match(tested, new RegExp(`must be exactly \`${world.rootUrl}/standalone/complete/kept\``));
    const listed = await text(await world.command(admin, 'provider list'));
    assert.ok(!listed.includes(op.clients.post.client_secret!));
    assert.match(listed, /\*\*Test kept\*\* `kept`/);
    const removed = await text(await world.command(admin, 'provider remove gone --confirm'));
    assert.match(removed, /^Removed \*\*Test gone\*\*/);
    assert.deepEqual([...world.stores.providers.rows.keys()], ['kept']);
  });
});

describe('standalone provider dialog refresh', () => {
  it('when the preset changes in the add dialog, then the form comes back for the new preset under a new state for the same user', async () => {
    const world = await startStandaloneWorld();
    try {
      const admin = world.mm.addUser('root', 'system_user system_admin');
      await world.command(admin, 'provider add --preset oidc');
      const state = String(world.mm.dialogs[0]?.dialog.state);
      const answer = (await world.submitDialog({
        type: 'refresh',
        callback_id: 'provider.add',
        state,
        user_id: admin.id,
        submission: { preset: 'gitlab', id: 'oidc', issuer: 'https://x' },
      })) as {
        type: string;
        form: { callback_id: string; state: string; elements: Array<{ name: string; default?: string }> };
      };
      assert.equal(answer.type, 'form');
      assert.equal(answer.form.callback_id, 'provider.add');
      assert.equal(answer.form.elements.find((e) => e.name === 'preset')?.default, 'gitlab');
      assert.equal(answer.form.elements.find((e) => e.name === 'id')?.default, 'gitlab');
      assert.ok(!answer.form.elements.some((e) => e.name === 'issuer'));
      const bob = world.mm.addUser('bob', 'system_user system_admin');
      const stolen = await world.submitDialog({ type: 'refresh', callback_id: 'provider.add', state: answer.form.state, user_id: bob.id, submission: {} });
      assert.deepEqual(stolen, { error: 'This dialog was opened for another user.' });
    } finally {
      await world.close();
    }
  });
});
