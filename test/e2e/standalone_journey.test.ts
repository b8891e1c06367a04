// What the scenario suite (test/scenarios, run on this server by run_e2e.ts on
// SQLite and on PostgreSQL) leaves to this file: the standalone host's typed
// admin arguments as Mattermost's command parser hands them over (quoted
// values, a secret on the command line), the dialog that opens prefilled when
// the typed values are incomplete, and a non-admin's typed command refused.
// It runs on the standalone server of E2E_WORLD_FILE through the scenario driver.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StandaloneHost } from '../scenarios/hosts/standalone.js';
import { RealStandaloneMattermost } from '../scenarios/hosts/standalone_real.js';
import type { Person } from '../scenarios/host.js';
import { connectUser, say } from '../scenarios/host_steps.js';

describe('typed admin arguments on a real Mattermost without the Apps plugin', { timeout: 10 * 60_000 }, () => {
  let host: StandaloneHost;
  let bob: Person;
  const typed = (user: Person, text: string) => host.mm.execute(user, text);

  before(async () => {
    host = await StandaloneHost.start(() => RealStandaloneMattermost.start());
    bob = await host.createUser('bob');
  });
  after(() => host?.close());

  it('when the admin types every value, then the provider is registered at once, with a quoted display name and the secret kept out of the answer', async () => {
    const client = host.provider.clients.post;
    const answer = await typed(
      host.admin,
      `provider add --preset oidc --id post --display_name "Typed IdP" --issuer ${host.provider.issuer} --client_id ${client.client_id} --client_secret ${client.client_secret} --auth client_secret_post`,
    );
    assert.match(answer.text, /Registered \*\*Typed IdP\*\*/, answer.text);
    assert.equal(answer.dialog, undefined);
    assert.doesNotMatch(answer.text, new RegExp(client.client_secret!));
    assert.equal((await host.repositories.providers.get('post'))?.display_name, 'Typed IdP');
    assert.ok((await connectUser(host, bob, 'bob-at-idp', 'post')).completed, 'the typed client works');
  });

  it('when the typed values are incomplete, then the dialog opens with what was typed and saving it completes the registration', async () => {
    const answer = await typed(host.admin, `provider add --preset oidc --id idp2 --issuer ${host.provider.issuer}`);
    assert.match(answer.text, /The dialog opened with what you typed/, answer.text);
    assert.ok(answer.dialog, 'a dialog reached the admin');
    const form = host.dialogForm(host.admin, answer.dialog);
    assert.equal(form.shown('id'), 'idp2');
    assert.equal(form.shown('issuer'), host.provider.issuer);
    await form.fill({ client_id: host.provider.clients.basic.client_id, client_secret: host.provider.clients.basic.client_secret! });
    const saved = await form.submit();
    assert.equal(saved.kind, 'text', saved.text);
    assert.ok(await host.repositories.providers.get('idp2'));
  });

  it('when a non-admin types provider add with every value, then it is refused and nothing is stored', async () => {
    const answer = await typed(bob, `provider add --preset oidc --id evil --issuer ${host.provider.issuer} --client_id x --client_secret y`);
    assert.match(answer.text, /Only system admins/, answer.text);
    assert.equal(answer.dialog, undefined);
    assert.equal(await host.repositories.providers.get('evil'), undefined);
    assert.doesNotMatch(await say(host, bob, ['providers']), /evil/);
  });
});
