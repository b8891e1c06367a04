// What the scenario suite (test/scenarios, run on this server by run_e2e.ts on
// SQLite and on PostgreSQL) leaves to this file: the standalone host's typed
// admin arguments as Mattermost's command parser hands them over (quoted
// values), which only prefill the dialog, a client secret on the command line
// refused, and a non-admin's typed command refused.
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

  it('when the admin types every value but the secret, then the dialog opens with them (the quoted display name whole) and nothing is stored until it is saved', async () => {
    const client = host.provider.clients.post;
    const answer = await typed(
      host.admin,
      `provider add --preset oidc --id post --display_name "Typed IdP" --issuer ${host.provider.issuer} --client_id ${client.client_id} --auth client_secret_post`,
    );
    assert.match(answer.text, /nothing changes until you submit it/, answer.text);
    assert.ok(answer.dialog, 'a dialog reached the admin');
    assert.equal(await host.repositories.providers.get('post'), undefined, 'typed arguments store nothing');
    const form = host.dialogForm(host.admin, answer.dialog);
    assert.equal(form.shown('display_name'), 'Typed IdP');
    await form.fill({ client_secret: client.client_secret! });
    const saved = await form.submit();
    assert.equal(saved.kind, 'text', saved.text);
    assert.equal((await host.repositories.providers.get('post'))?.display_name, 'Typed IdP');
    assert.ok((await connectUser(host, bob, 'bob-at-idp', 'post')).completed, 'the saved client works');
  });

  it('when the admin types the client secret, then it is refused saying why, no dialog opens and nothing is stored', async () => {
    const secret = host.provider.clients.basic.client_secret!;
    const answer = await typed(host.admin, `provider add --preset oidc --id idp2 --issuer ${host.provider.issuer} --client-secret ${secret}`);
    assert.match(answer.text, /a secret typed there is not private/, answer.text);
    assert.doesNotMatch(answer.text, new RegExp(secret));
    assert.equal(answer.dialog, undefined);
    assert.equal(await host.repositories.providers.get('idp2'), undefined);
  });

  it('when a non-admin types provider add with every value, then it is refused and nothing is stored', async () => {
    const answer = await typed(bob, `provider add --preset oidc --id evil --issuer ${host.provider.issuer} --client_id x --client_secret y`);
    assert.match(answer.text, /Only system admins/, answer.text);
    assert.equal(answer.dialog, undefined);
    assert.equal(await host.repositories.providers.get('evil'), undefined);
    assert.doesNotMatch(await say(host, bob, ['providers']), /evil/);
  });
});
