import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALOG_USED } from '../../../src/hosts/standalone/dialogs/single_use.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

interface Form {
  callback_id: string;
  state: string;
  introduction_text?: string;
  source_url?: string;
  elements: Array<{ name: string; default?: string; refresh?: boolean }>;
}

/** The signed fields of a state: [user, purpose, target, expires_at, nonce, shown]. */
const signedFields = (state: string): unknown[] => JSON.parse(Buffer.from(state.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown[];

describe('standalone provider dialogs: refresh and single use', () => {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let admin: FakeUser;
  const opened = () => world.mm.dialogs[0]?.dialog as unknown as Form;
  const shown = (form: Form, name: string) => form.elements.find((e) => e.name === name)?.default;
  const send = (form: Form, submission: Record<string, unknown>, type = 'dialog_submission', user = admin) =>
    world.submitDialog({ type, callback_id: form.callback_id, state: form.state, user_id: user.id, submission });
  const refresh = async (form: Form, submission: Record<string, unknown>): Promise<Form> => {
    const answer = (await send(form, submission, 'refresh')) as { type?: string; form?: Form };
    assert.equal(answer.type, 'form', JSON.stringify(answer));
    return answer.form!;
  };
  const complete = (id: string) => ({
    preset: 'oidc',
    id,
    display_name: `IdP ${id}`,
    issuer: op.issuer,
    client_id: op.clients.post.client_id,
    client_secret: op.clients.post.client_secret!,
    auth: 'client_secret_post',
  });

  before(async () => {
    op = await startOidcProvider();
    world = await startStandaloneWorld();
    admin = world.mm.addUser('root', 'system_user system_admin');
  });
  after(async () => {
    await world.close();
    await op.close();
  });
  beforeEach(async () => {
    world.stores.providers.rows.clear();
    world.mm.dialogs.length = 0;
    world.mm.posts.length = 0;
    await world.command(admin, 'provider add --preset oidc');
  });

  it('when the admin types a short name in the add dialog, then the form refreshes and its redirect URI ends with that name, the typed values kept', async () => {
    const form = opened();
    assert.equal(form.elements.find((e) => e.name === 'id')?.refresh, true);
    assert.equal(form.source_url, `${world.rootUrl}/standalone/dialog`);
    assert.match(form.introduction_text ?? '', new RegExp(`/standalone/complete/oidc\``));
    const again = await refresh(form, { preset: 'oidc', id: 'corp-sso', display_name: 'Corp', issuer: op.issuer, client_id: 'abc' });
    assert.match(again.introduction_text ?? '', new RegExp(`${world.rootUrl}/standalone/complete/corp-sso\``));
    assert.deepEqual(
      ['id', 'display_name', 'issuer', 'client_id'].map((n) => shown(again, n)),
      ['corp-sso', 'Corp', op.issuer, 'abc'],
    );
  });

  it('when the provider type changes, then the form comes back for the new type, and a refreshed state keeps the expiry and the nonce', async () => {
    const form = opened();
    world.clock.offsetMs = 5 * 60 * 1000;
    try {
      const again = await refresh(form, { preset: 'gitlab', id: 'oidc', issuer: 'https://x' });
      assert.equal(shown(again, 'preset'), 'gitlab');
      assert.equal(shown(again, 'id'), 'gitlab', "the old type's short name is dropped");
      assert.ok(!again.elements.some((e) => e.name === 'issuer'));
      const [before, after] = [signedFields(form.state), signedFields(again.state)];
      assert.deepEqual([after[3], after[4]], [before[3], before[4]], 'same expires_at and nonce');
      assert.deepEqual([before[5], after[5]], ['oidc', 'gitlab'], 'the state records the type the form shows');
      const kept = await refresh(again, { preset: 'gitlab', id: 'gl', base_url: 'https://gl.example.com' });
      assert.deepEqual([shown(kept, 'id'), shown(kept, 'base_url')], ['gl', 'https://gl.example.com'], 'a refresh of the same type keeps its values');
    } finally {
      world.clock.offsetMs = 0;
    }
  });

  it('when the dialog has expired, then a refresh is refused as expired rather than given a new life', async () => {
    const form = opened();
    world.clock.offsetMs = 16 * 60 * 1000;
    try {
      assert.deepEqual(await send(form, { preset: 'oidc', id: 'late' }, 'refresh'), { error: 'This dialog has expired. Run the command again.' });
    } finally {
      world.clock.offsetMs = 0;
    }
  });

  it('when a saved add dialog is submitted again (or under a refreshed state), then it is refused as already used and nothing more is stored', async () => {
    const form = opened();
    const refreshed = await refresh(form, { preset: 'oidc', id: 'first' });
    assert.deepEqual(await send(refreshed, complete('first')), {});
    assert.deepEqual(await send(form, complete('second')), { error: DIALOG_USED });
    assert.deepEqual(await send(refreshed, complete('third')), { error: DIALOG_USED });
    assert.deepEqual(await send(form, { preset: 'oidc', id: 'x' }, 'refresh'), { error: DIALOG_USED });
    assert.deepEqual([...world.stores.providers.rows.keys()], ['first']);
    assert.equal(world.mm.posts.length, 1);
  });

  it('when the same add dialog is submitted twice at once, then exactly one registers and the other is told it was already used', async () => {
    const form = opened();
    const answers = await Promise.all([send(form, complete('twin')), send(form, complete('twin'))]);
    assert.equal(answers.filter((a) => Object.keys(a).length === 0).length, 1, JSON.stringify(answers));
    assert.deepEqual(
      answers.find((a) => Object.keys(a).length > 0),
      { error: DIALOG_USED },
    );
    assert.equal(world.stores.providers.rows.size, 1);
    assert.equal(world.mm.posts.length, 1);
  });

  it('when a submission has field errors, then the admin corrects them and the same dialog saves', async () => {
    const form = opened();
    const answer = (await send(form, { ...complete('Bad Id') })) as { errors?: Record<string, string> };
    assert.deepEqual(Object.keys(answer.errors ?? {}), ['id']);
    assert.deepEqual(await send(form, complete('fixed')), {});
    assert.ok(await world.stores.providers.get('fixed'));
  });
});
