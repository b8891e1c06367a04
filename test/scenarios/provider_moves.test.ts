/**
 * Issue 12, item 6: a provider moved to another origin needs its client
 * secret again, its users' tokens are never sent to the new origin (they are
 * asked to reconnect), and a broken connection is never used to call the provider.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Form } from '../../src/hosts/apps/protocol/types.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { providerRedirects } from '../support/redirects.js';
import type { ScenarioUser } from './backend.js';
import { openModal, runCommand, textOf } from './commands.js';
import { connectUntilRedirect, registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';

let world: World;
let elsewhere: StartedOidcProvider;
let gina: ScenarioUser;
let hugo: ScenarioUser;

const say = async (user: ScenarioUser, words: string[], values: Record<string, unknown> = {}) => textOf(await runCommand(world.backend, user, words, values));

async function editForm(id: string): Promise<Form> {
  const answer = await runCommand(world.backend, world.backend.admin, ['provider', 'edit'], { provider: id });
  assert.equal(answer.type, 'form', textOf(answer));
  return (answer as { form: Form }).form;
}

describe(`a provider moves, a connection breaks (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
  before(async () => {
    world = await startWorld();
    elsewhere = await startOidcProvider({ redirectUris: providerRedirects(world.completeUrl) });
    gina = await world.backend.createUser(`gina${Date.now() % 100000}`);
    hugo = await world.backend.createUser(`hugo${Date.now() % 100000}`);
    for (const id of ['moved', 'idp']) {
      const r = await registerTestProvider(world, id);
      assert.equal(r.type, 'ok', textOf(r));
    }
    assert.equal((await (await connectUntilRedirect(world, gina, 'gina', 'moved')).complete()).status, 200);
    assert.equal((await (await connectUntilRedirect(world, hugo, 'hugo', 'idp')).complete()).status, 200);
  });
  after(async () => {
    await elsewhere?.close();
    await world?.close();
  });

  it('when an admin moves the issuer to another origin without typing the secret, then the edit is refused and nothing changes', async () => {
    const form = await editForm('moved');
    const modal = openModal(world.backend, world.backend.admin, form);
    await modal.fill({ issuer: elsewhere.issuer });
    const answer = await modal.submit();
    assert.equal(answer.type, 'error');
    assert.match(textOf(answer), /enter the client secret again/);
    assert.equal(elsewhere.counters.discovery, 0, 'the new origin was not even asked');
    assert.match(await say(gina, ['whoami'], { provider: 'moved' }), /you are \*\*gina\*\*/);
  });

  it('when the admin types the secret for the new origin, then the move is saved and the old tokens are never sent there: the user is asked to reconnect', async () => {
    const form = await editForm('moved');
    const modal = openModal(world.backend, world.backend.admin, form);
    await modal.fill({ issuer: elsewhere.issuer, client_secret: elsewhere.clients.basic.client_secret ?? '' });
    const saved = await modal.submit();
    assert.equal(saved.type, 'ok', textOf(saved));
    elsewhere.resetCounters();
    const who = await say(gina, ['whoami'], { provider: 'moved' });
    assert.match(who, /does not belong here.*[Rr]econnect/s);
    assert.deepEqual([elsewhere.counters.token, elsewhere.counters.userinfo, elsewhere.counters.revocation], [0, 0, 0]);
    assert.match(await say(gina, ['status']), /`moved`\): :warning: .*does not belong here/);
  });

  it('when a connection is broken, then whoami and refresh never call the provider again', async () => {
    world.provider.revokeAccount('hugo');
    world.clock.offsetMs = 2 * 3600 * 1000;
    try {
      assert.match(await say(hugo, ['whoami'], { provider: 'idp' }), /no longer works.*[Rr]econnect/s);
      world.provider.resetCounters();
      assert.match(await say(hugo, ['whoami'], { provider: 'idp' }), /no longer works.*[Rr]econnect/s);
      assert.deepEqual([world.provider.counters.token, world.provider.counters.userinfo], [0, 0], 'a broken connection is not used');
    } finally {
      world.clock.offsetMs = 0;
    }
  });
});
