/**
 * The signed trigger id is what proves a command's user: a request with the
 * team's command token (which every team admin can read) but without a fresh
 * trigger that Mattermost signed for that very user runs nothing and stores
 * nothing, and the refusal names its reason.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { createTriggerSigner, signTrigger } from '../../support/standalone/trigger_signer.js';
import { addTestOidcProvider, startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';
import { parseTrigger, signatureValid } from '../../../src/hosts/standalone/trigger/signed_trigger.js';
import { publicKeyFromBase64 } from '../../../src/hosts/standalone/trigger/signing_key.js';
import { otherEncodings } from '../../support/standalone/trigger_encodings.js';

const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

describe('standalone commands: the signed trigger id', () => {
  let world: StandaloneWorld;
  let alice: FakeUser;
  let admin: FakeUser;
  before(async () => {
    world = await startStandaloneWorld();
    alice = world.mm.addUser('alice');
    admin = world.mm.addUser('root', 'system_user system_admin');
    await world.addProvider(
      { id: 'one', display_name: 'One', preset: 'oidc', issuer: 'http://127.0.0.1:9', client_id: 'c', auth: 'client_secret_post', scopes: ['openid'] },
      'secret-one',
    );
  });
  after(() => world.close());
  beforeEach(() => {
    world.stores.oneTime.rows.clear();
    world.mm.dialogs.length = 0;
  });

  async function refused(text: string, overrides: Record<string, string>, reason: RegExp, user = alice): Promise<void> {
    const response = await world.command(user, text, overrides);
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { text: string }).text, reason);
    assert.equal(world.stores.oneTime.rows.size, 0, 'no link, state or flow was stored');
    assert.equal(world.mm.dialogs.length, 0, 'no dialog was opened');
  }

  it('when the trigger is fresh and signed for the user, then the command runs', async () => {
    const response = await world.command(alice, 'connect one');
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { text: string }).text, /standalone\/connect\?l=/);
  });

  it('when the same trigger comes a second time, then it is refused as already used', async () => {
    const trigger = world.mm.signer.sign(alice.id);
    assert.equal((await world.command(alice, 'status', { trigger_id: trigger })).status, 200);
    await refused('connect one', { trigger_id: trigger }, /already used/);
  });

  it('when the spent trigger comes again in another text (no padding, other spare bits, the signature’s other valid form), then each is refused as already used', async () => {
    const trigger = world.mm.signer.sign(alice.id);
    const variants = otherEncodings(trigger);
    assert.ok(variants.length >= 2, 'the signature’s other form, padded and not, at least');
    // Each is the same trigger, signed by the same key: only its single use can refuse it.
    const key = publicKeyFromBase64(world.mm.signer.publicKeyBase64);
    for (const variant of variants) {
      const parsed = parseTrigger(variant);
      assert.equal(parsed?.signedText, parseTrigger(trigger)?.signedText);
      assert.equal(signatureValid(parsed!, key), true, 'the other text verifies');
    }
    assert.equal((await world.command(alice, 'status', { trigger_id: trigger })).status, 200);
    const spent = world.stores.oneTime.rows.size;
    for (const variant of variants) {
      const response = await world.command(alice, 'disconnect one', { trigger_id: variant });
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { text: string }).text, /already used/);
    }
    assert.equal(world.stores.oneTime.rows.size, spent, 'no other record was written');
  });

  it('when a user replays the trigger of their own command with a system admin as user_id, then it is refused as another user’s', async () => {
    await refused('provider edit one', { user_id: admin.id, trigger_id: world.mm.signer.sign(alice.id) }, /signed for another user/, alice);
  });

  it('when the trigger is older than the window, then it is refused as too old', async () => {
    await refused('connect one', { trigger_id: world.mm.signer.sign(alice.id, Date.now() - 11_000) }, /too old/);
  });

  it('when the trigger is dated in the future beyond the window, then it is refused as too old', async () => {
    await refused('connect one', { trigger_id: world.mm.signer.sign(alice.id, Date.now() + 11_000) }, /too old/);
  });

  it('when the trigger is signed by another key, then it is refused as not signed by this server', async () => {
    await refused('connect one', { trigger_id: signTrigger(otherKey, alice.id, Date.now()) }, /not signed with this Mattermost server's key/);
  });

  it('when one byte of the signature changes, then it is refused as not signed by this server', async () => {
    const good = Buffer.from(world.mm.signer.sign(alice.id), 'base64').toString('latin1');
    const flipped = good.slice(0, -6) + (good.at(-6) === 'A' ? 'B' : 'A') + good.slice(-5);
    await refused('connect one', { trigger_id: Buffer.from(flipped, 'latin1').toString('base64') }, /not signed with this Mattermost server's key/);
  });

  it('when the user id inside a validly signed text is changed, then it is refused', async () => {
    const text = Buffer.from(world.mm.signer.sign(alice.id), 'base64').toString('latin1');
    const forged = Buffer.from(text.replace(alice.id, admin.id), 'latin1').toString('base64');
    await refused('report', { user_id: admin.id, trigger_id: forged }, /not signed with this Mattermost server's key/, admin);
  });

  for (const [name, trigger] of [
    ['missing', ''],
    ['not base64 of the layout', 'trigger-abc'],
    ['far too long', 'A'.repeat(600)],
  ] as const) {
    it(`when the trigger is ${name}, then it is refused as not signed by Mattermost`, async () => {
      await refused('connect one', { trigger_id: trigger }, /carries no trigger id signed by Mattermost/);
    });
  }

  it('when a refused request comes without the command token, then the token refusal comes first and no trigger is spent', async () => {
    const trigger = world.mm.signer.sign(alice.id);
    await refused('status', { token: 'x'.repeat(26), trigger_id: trigger }, /command token of its team/);
    assert.equal((await world.command(alice, 'status', { trigger_id: trigger })).status, 200);
  });
});

describe('standalone refusals in the log', () => {
  it('when forged dialog submissions flood in, then the log gets a few lines a minute, each with its reason', async () => {
    const world = await startStandaloneWorld();
    try {
      const alice = world.mm.addUser('alice');
      for (let i = 0; i < 25; i++) {
        await world.submitDialog({ callback_id: 'connect.choose', state: `v1.${'e30'}.forged${i}`, user_id: alice.id, submission: {} });
      }
      const lines = world.logs.filter((l) => l.includes('dialog refused'));
      assert.equal(lines.length, 10);
      assert.match(lines[0]!, /not one the service opened/);
    } finally {
      await world.close();
    }
  });

  it('when refusals flood in, then the log gets a few lines a minute, each with its reason and never the trigger', async () => {
    const world = await startStandaloneWorld();
    try {
      const alice = world.mm.addUser('alice');
      const triggers = Array.from({ length: 25 }, () => signTrigger(otherKey, alice.id, Date.now()));
      for (const trigger of triggers) await world.command(alice, 'status', { trigger_id: trigger });
      const lines = world.logs.filter((l) => l.includes('command refused'));
      assert.equal(lines.length, 10);
      assert.match(lines[0]!, /"reason":"trigger_bad_signature"/);
      assert.match(lines[0]!, new RegExp(`"claimed_user_id":"${alice.id}"`));
      assert.ok(!triggers.some((t) => world.logs.join('\n').includes(t)));
    } finally {
      await world.close();
    }
  });
});

describe('standalone commands: Mattermost’s signing key', () => {
  it('when the server’s key changes, then the service reads it again once and accepts the new signatures', async () => {
    const world = await startStandaloneWorld();
    try {
      const alice = world.mm.addUser('alice');
      assert.equal((await world.command(alice, 'status')).status, 200);
      const reads = world.mm.clientConfigReads;
      world.mm.signer = createTriggerSigner();
      world.clock.offsetMs += 60_000; // the key is read again at most once a minute
      const rotated = await world.command(alice, 'status');
      assert.equal(rotated.status, 200, await rotated.text());
      assert.equal(world.mm.clientConfigReads, reads + 1);
      // Forged signatures right after do not make the service read the key again.
      for (let i = 0; i < 5; i++) await world.command(alice, 'status', { trigger_id: signTrigger(otherKey, alice.id, Date.now()) });
      assert.equal(world.mm.clientConfigReads, reads + 1);
    } finally {
      await world.close();
    }
  });

  it('when several commands arrive while the key is first being read, then they all wait for that one read and run', async () => {
    const world = await startStandaloneWorld();
    try {
      const users = ['u1', 'u2', 'u3', 'u4'].map((name) => world.mm.addUser(name));
      const answers = await Promise.all(users.map(async (u) => ((await (await world.command(u, 'status')).json()) as { text: string }).text));
      for (const text of answers) assert.doesNotMatch(text, /signing key|Unauthorized/);
      assert.equal(world.mm.clientConfigReads, 1);
    } finally {
      await world.close();
    }
  });

  it('when the key cannot be read, then the command says so, runs nothing and stores nothing', async () => {
    const world = await startStandaloneWorld();
    try {
      const alice = world.mm.addUser('alice');
      await addTestOidcProvider(world, { issuer: 'http://127.0.0.1:9', clients: { post: { client_id: 'c', client_secret: 's' } } } as never);
      world.mm.signer.publicKeyBase64 = '';
      const response = await world.command(alice, 'connect test-oidc');
      assert.equal(response.status, 200);
      assert.match(((await response.json()) as { text: string }).text, /cannot read Mattermost's signing key/);
      assert.equal(world.stores.oneTime.rows.size, 0);
      assert.ok(world.logs.some((l) => l.includes('AsymmetricSigningPublicKey')));
    } finally {
      await world.close();
    }
  });
});

describe('parseTrigger', () => {
  it('when the layout is Mattermost’s, then the user, the time and the signed text come out', () => {
    const signer = createTriggerSigner();
    const parsed = parseTrigger(signer.sign('abcdefghijklmnopqrstuvwxyz', 1_700_000_000_123));
    assert.equal(parsed?.userId, 'abcdefghijklmnopqrstuvwxyz');
    assert.equal(parsed?.signedAt, 1_700_000_000_123);
    assert.match(parsed?.signedText ?? '', /^[a-z0-9]{26}:abcdefghijklmnopqrstuvwxyz:1700000000123:$/);
  });

  it('when a field is missing or not an id, then nothing parses', () => {
    for (const text of ['a:b:1:sig', `${'a'.repeat(26)}:${'b'.repeat(26)}:x:${'A'.repeat(60)}`, `${'a'.repeat(26)}:${'b'.repeat(26)}:1:`]) {
      assert.equal(parseTrigger(Buffer.from(text).toString('base64')), undefined, text);
    }
  });
});
