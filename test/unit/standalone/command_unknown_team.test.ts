/**
 * A command from a team the service holds no command for (setup has not run
 * there, or the service reads another storage): a request Mattermost signed
 * for its user is told that the service is not set up for the team; anything
 * else gets the 401 of a request nobody can place. Either way nothing runs
 * and nothing is stored, not even the trigger.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { mmId } from '../../support/standalone/fake_mattermost.js';
import { signTrigger } from '../../support/standalone/trigger_signer.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

describe('standalone commands: a team without a stored command', () => {
  let world: StandaloneWorld;
  let alice: FakeUser;
  const unknownTeam = mmId();
  before(async () => {
    world = await startStandaloneWorld();
    alice = world.mm.addUser('alice');
    await world.addProvider(
      { id: 'one', display_name: 'One', preset: 'oidc', issuer: 'http://127.0.0.1:9', client_id: 'c', auth: 'client_secret_post', scopes: ['openid'] },
      'secret-one',
    );
  });
  after(() => world.close());
  beforeEach(() => world.stores.oneTime.rows.clear());

  async function nothingHappened(): Promise<void> {
    assert.equal(world.stores.oneTime.rows.size, 0, 'no link, state or trigger claim was stored');
    assert.equal(world.mm.dialogs.length, 0, 'no dialog was opened');
    assert.equal(await world.stores.installation.commandForTeam(unknownTeam), undefined, 'no command was stored for the team');
  }

  it('when the trigger verifies for the user, then the answer is 200 with the not-set-up text and nothing runs', async () => {
    const response = await world.command(alice, 'connect one', { team_id: unknownTeam });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { text: string }).text, 'OAuth2 Connect is not set up for this team; ask a system admin to run setup.');
    await nothingHappened();
  });

  it('when the trigger verifies but was not claimed, then the same trigger still runs the command in a set-up team', async () => {
    const trigger = world.mm.signer.sign(alice.id);
    assert.equal((await world.command(alice, 'status', { team_id: unknownTeam, trigger_id: trigger })).status, 200);
    const placed = await world.command(alice, 'status', { trigger_id: trigger });
    assert.doesNotMatch(((await placed.json()) as { text: string }).text, /Unauthorized|not set up/);
  });

  for (const [name, trigger] of [
    ['signed by another key', () => signTrigger(otherKey, alice.id, Date.now())],
    ['missing', () => ''],
    ['too old', () => world.mm.signer.sign(alice.id, Date.now() - 60_000)],
  ] as const) {
    it(`when the trigger is ${name}, then the answer is 401 and does not say whether the team is set up`, async () => {
      const response = await world.command(alice, 'connect one', { team_id: unknownTeam, trigger_id: trigger() });
      assert.equal(response.status, 401);
      const text = ((await response.json()) as { text: string }).text;
      assert.match(text, /Unauthorized: this request does not carry the command token of its team/);
      await nothingHappened();
    });
  }

  it('when the trigger was signed for another user, then the answer is 401', async () => {
    const bob = world.mm.addUser('bob');
    const response = await world.command(alice, 'connect one', { team_id: unknownTeam, trigger_id: world.mm.signer.sign(bob.id) });
    assert.equal(response.status, 401);
    await nothingHappened();
  });
});
