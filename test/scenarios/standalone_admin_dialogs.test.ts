/**
 * The standalone host's admin commands typed as text: typed `--name value`
 * arguments only prefill the dialog (nothing is stored before it is saved), a
 * client secret in the text is refused, a removal is confirmed in its dialog,
 * the add dialog's redirect URI follows the short name, and each dialog runs
 * once (a replay or a second submission at the same moment is refused; a
 * submission with field errors is corrected and saved in the same dialog).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Person } from './host.js';
import { connectUser } from './host_steps.js';
import { scenarioHosts } from './hosts/index.js';
import type { CommandOutcome, StandaloneHost } from './hosts/standalone.js';
import type { DialogForm } from './hosts/standalone_dialog.js';

const ALREADY_USED = /^This dialog was already used\. Run the command again to open a new one\.$/;

/** The signed expiry and nonce of a dialog state (its payload: [user, purpose, target, expires_at, nonce, shown]). */
const expiryAndNonce = (state: string): unknown[] =>
  (JSON.parse(Buffer.from(state.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown[]).slice(3, 5);

for (const choice of scenarioHosts(['standalone'])) {
  describe(`typed admin commands open dialogs (${choice.label})`, () => {
    let host: StandaloneHost;
    let bob: Person;
    const typed = (text: string) => host.mm.execute(host.admin, text);
    const stored = (id: string) => host.repositories.providers.get(id);
    const dialogOf = (outcome: CommandOutcome): DialogForm => {
      assert.ok(outcome.dialog, `a dialog opened: ${outcome.text}`);
      return host.dialogForm(host.admin, outcome.dialog);
    };
    const typedAdd = (id: string, extra = '') =>
      `provider add --preset oidc --id ${id} --display_name "Typed ${id}" --issuer ${host.provider.issuer} --client_id ${host.provider.clients.post.client_id} --auth client_secret_post ${extra}`;

    before(async () => {
      host = (await choice.start()) as StandaloneHost;
      bob = await host.createUser('bob');
    });
    after(() => host?.close());

    it('when the admin types every value but the secret, then nothing is stored until the prefilled dialog is saved, and users connect with it', async () => {
      const outcome = await typed(typedAdd('post'));
      assert.match(outcome.text, /^The dialog opened with what you typed; nothing changes until you submit it\.$/);
      assert.equal(await stored('post'), undefined, 'typed arguments store nothing');
      const form = dialogOf(outcome);
      assert.deepEqual([form.shown('id'), form.shown('display_name'), form.shown('issuer')], ['post', 'Typed post', host.provider.issuer]);
      assert.ok(form.notes.includes(host.redirectUri('post')), form.notes);
      await form.fill({ client_secret: host.provider.clients.post.client_secret! });
      const saved = await form.submit();
      assert.match(saved.text, /Registered \*\*Typed post\*\*/, saved.text);
      assert.ok((await connectUser(host, bob, 'bob-at-idp', 'post')).completed, 'the saved client works');
    });

    it('when the admin types a client secret, then it is refused saying why, nothing is stored, no dialog opens and the secret is in neither the answer nor the log', async () => {
      const secret = host.provider.clients.basic.client_secret!;
      for (const flag of ['--client_secret', '--client-secret']) {
        const outcome = await typed(typedAdd('idp2', `${flag} ${secret}`));
        assert.match(outcome.text, /the command's text goes to a URL that a team admin can change, so a secret typed there is not private/);
        assert.equal(outcome.dialog, undefined, 'no dialog is prefilled with it');
        assert.ok(!outcome.text.includes(secret), 'the answer does not echo it');
      }
      assert.equal(await stored('idp2'), undefined);
      assert.ok(!host.logs.some((line) => line.includes(secret)), 'the log does not hold it');
    });

    it('when the admin types edit with one field, then the dialog shows the stored provider with that change, and saving changes only it', async () => {
      const before = await stored('post');
      const form = dialogOf(await typed('provider edit post --display_name "Renamed post"'));
      assert.deepEqual([form.shown('display_name'), form.shown('issuer'), form.shown('client_id')], ['Renamed post', before?.issuer, before?.client_id]);
      assert.equal((await stored('post'))?.display_name, 'Typed post', 'nothing changes before the dialog is saved');
      assert.equal((await form.submit()).kind, 'text');
      const after = await stored('post');
      assert.equal(after?.display_name, 'Renamed post');
      const settings = (p: typeof before) => [p?.preset, p?.issuer, p?.client_id, p?.auth, p?.scopes, p?.params, p?.sealed_secret !== undefined];
      assert.deepEqual(settings(after), settings(before), 'the other settings and the secret are kept');
      assert.ok((await connectUser(host, bob, 'bob-at-idp', 'post')).completed, 'the kept secret still works');
    });

    it('when a saved dialog is submitted again, then it is refused as already used and changes nothing', async () => {
      const form = dialogOf(await typed('provider edit post'));
      await form.fill({ display_name: 'Once' });
      const body = form.body();
      assert.equal((await form.submit()).kind, 'text');
      const replay = await host.mm.submitDialog(host.admin, form.opened.url, { ...body, submission: { ...body.submission, display_name: 'Twice' } });
      assert.match(replay.error ?? '', ALREADY_USED, JSON.stringify(replay));
      assert.equal((await stored('post'))?.display_name, 'Once');
    });

    it('when one dialog is submitted twice at the same moment, then exactly one submission runs', async () => {
      const form = dialogOf(await typed('provider edit post'));
      await form.fill({ display_name: 'Concurrent' });
      const messages = (await host.directMessages(host.admin)).length;
      const answers = await Promise.all([1, 2].map(() => host.mm.submitDialog(host.admin, form.opened.url, form.body())));
      const refused = answers.filter((a) => a.error !== undefined);
      assert.equal(refused.length, 1, JSON.stringify(answers));
      assert.match(refused[0]?.error ?? '', ALREADY_USED);
      assert.equal((await host.directMessages(host.admin)).length, messages + 1, 'one "Updated" message');
    });

    it('when a submission has a field error, then the admin corrects it in the same dialog and saves', async () => {
      const form = dialogOf(await typed(typedAdd('bad.id')));
      await form.fill({ client_secret: host.provider.clients.post.client_secret! });
      const refused = await form.submit();
      assert.equal(refused.kind, 'error');
      assert.deepEqual(Object.keys(refused.kind === 'error' ? refused.fieldErrors : {}), ['id']);
      await form.fill({ id: 'idp2', client_secret: host.provider.clients.post.client_secret! });
      const saved = await form.submit();
      assert.match(saved.text, /Registered \*\*Typed bad\.id\*\*/, saved.text);
      assert.ok(await stored('idp2'));
    });

    it('when the admin types remove --confirm, then nothing is removed until the removal dialog is ticked and saved', async () => {
      const outcome = await typed('provider remove idp2 --confirm');
      assert.match(outcome.text, /Left out .*`--confirm`/);
      assert.ok(await stored('idp2'), 'the command text removes nothing');
      const form = dialogOf(outcome);
      assert.equal(form.shown('confirm'), false);
      const unticked = await form.submit();
      assert.deepEqual(unticked.kind === 'error' && unticked.fieldErrors, { confirm: 'Tick to confirm' });
      await form.fill({ confirm: true });
      assert.match((await form.submit()).text, /Removed \*\*Typed bad\.id\*\*/);
      assert.equal(await stored('idp2'), undefined);
    });

    it("when the admin changes the short name in the add dialog, then the redirect URI shown follows it and the dialog's expiry and nonce stay", async () => {
      const form = dialogOf(await typed('provider add'));
      assert.ok(form.notes.includes(host.redirectUri(String(form.shown('id')))), form.notes);
      const signed = expiryAndNonce(form.opened.dialog.state);
      await form.fill({ id: 'corp-sso' });
      assert.ok(form.notes.includes(host.redirectUri('corp-sso')), form.notes);
      assert.deepEqual(expiryAndNonce(form.opened.dialog.state), signed);
    });
  });
}
