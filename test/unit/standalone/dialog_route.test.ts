import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { DIALOG_USED } from '../../../src/hosts/standalone/dialogs/single_use.js';
import { signDialogState } from '../../../src/hosts/standalone/dialogs/state.js';
import type { DialogPurpose } from '../../../src/hosts/standalone/dialogs/types.js';
import { UserFacingError } from '../../../src/core/errors.js';
import { createServiceTables, createStandaloneRouter } from '../../../src/hosts/standalone/http/router.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

const PROVIDER = {
  display_name: 'Test OIDC',
  preset: 'oidc' as const,
  issuer: 'http://127.0.0.1:9',
  client_id: 'c',
  auth: 'client_secret_post' as const,
  scopes: ['openid'],
};

describe('standalone POST /dialog', () => {
  let world: StandaloneWorld;
  let alice: FakeUser;
  let bob: FakeUser;
  let state: string;
  const submission = (overrides: Record<string, unknown> = {}) => ({
    type: 'dialog_submission',
    callback_id: 'connect.choose',
    state,
    user_id: alice.id,
    channel_id: '',
    team_id: world.teamId,
    submission: { provider: 'two' },
    cancelled: false,
    ...overrides,
  });

  before(async () => {
    world = await startStandaloneWorld();
    alice = world.mm.addUser('alice');
    bob = world.mm.addUser('bob');
    await world.addProvider({ id: 'one', ...PROVIDER }, 's1');
    await world.addProvider({ id: 'two', ...PROVIDER, display_name: 'Two' }, 's2');
  });
  after(() => world.close());
  beforeEach(async () => {
    world.stores.oneTime.rows.clear();
    world.mm.posts.length = 0;
    world.mm.dialogs.length = 0;
    await world.command(alice, 'connect');
    state = String(world.mm.dialogs[0]?.dialog.state);
  });

  it('when the dialog opened by the command is submitted by its user, then the bot DMs a link and the dialog closes', async () => {
    assert.deepEqual(await world.submitDialog(submission()), {});
    assert.equal(world.mm.posts.length, 1);
    assert.equal(world.mm.posts[0]?.to, alice.id);
    assert.match(world.mm.posts[0]?.message ?? '', /\[Connect your Two account\]\(http:\/\/127\.0\.0\.1:\d+\/standalone\/connect\?l=/);
    const record = [...world.stores.oneTime.rows.values()].find((r) => r.purpose === 'link');
    assert.equal(record?.user_id, alice.id);
    assert.equal(record?.provider_id, 'two');
  });

  const refusals: Array<[string, () => Record<string, unknown>, RegExp]> = [
    ['a forged state', () => submission({ state: 'v1.eyJ4Ijp9.AAAA' }), /not one the service opened/],
    ['a state with a changed MAC', () => submission({ state: state.slice(0, -2) + 'xx' }), /not one the service opened/],
    ['another user', () => submission({ user_id: bob.id }), /opened for another user/],
    [
      'another purpose than its state',
      () => submission({ state: signDialogState(world.deps.dialogKey, { user_id: alice.id, purpose: 'other', target: '' }, Date.now()) }),
      /does not match its action/,
    ],
    ['an unknown callback_id', () => submission({ callback_id: 'provider.nuke' }), /not one the service opened/],
    ['a malformed body', () => ({ callback_id: 'connect.choose', state }), /malformed/],
  ];
  for (const [name, body, reason] of refusals) {
    it(`when the submission has ${name}, then it is refused with an error and nothing is stored or posted`, async () => {
      const answer = await world.submitDialog(body());
      assert.match(String(answer.error), reason);
      assert.equal(world.stores.oneTime.rows.size, 0);
      assert.equal(world.mm.posts.length, 0);
    });
  }

  it('when the state has expired, then it is refused and nothing is stored', async () => {
    world.clock.offsetMs = 16 * 60 * 1000;
    try {
      assert.match(String((await world.submitDialog(submission())).error), /expired/);
      assert.equal(world.stores.oneTime.rows.size, 0);
    } finally {
      world.clock.offsetMs = 0;
    }
  });

  it('when no provider is chosen or it is gone, then a field error keeps the dialog open and the same dialog can be submitted again', async () => {
    assert.deepEqual(await world.submitDialog(submission({ submission: {} })), { errors: { provider: 'Choose a provider.' } });
    assert.deepEqual(await world.submitDialog(submission({ submission: { provider: 'gone' } })), {
      errors: { provider: 'This provider is not registered (any more).' },
    });
    assert.equal(world.stores.oneTime.rows.size, 0);
    assert.deepEqual(await world.submitDialog(submission()), {});
    assert.equal(world.mm.posts.length, 1);
  });

  it('when a submission that ran is sent again, then it is refused as already used and nothing runs twice', async () => {
    assert.deepEqual(await world.submitDialog(submission()), {});
    assert.deepEqual(await world.submitDialog(submission()), { error: DIALOG_USED });
    assert.deepEqual(await world.submitDialog(submission({ submission: { provider: 'one' } })), { error: DIALOG_USED });
    assert.equal(world.mm.posts.length, 1, 'one link was sent');
    assert.ok(world.logs.some((line) => line.includes('dialog refused') && line.includes('already used')));
  });

  it('when two submissions of one dialog arrive at once, then exactly one runs and the other is refused as already used', async () => {
    const answers = await Promise.all([world.submitDialog(submission()), world.submitDialog(submission())]);
    assert.deepEqual(answers.map((a) => JSON.stringify(a)).sort(), [JSON.stringify({}), JSON.stringify({ error: DIALOG_USED })].sort());
    assert.equal(world.mm.posts.length, 1);
  });

  it('when the dialog is cancelled, then nothing runs', async () => {
    assert.deepEqual(await world.submitDialog(submission({ cancelled: true, submission: {} })), {});
    assert.equal(world.mm.posts.length, 0);
  });

  it('when the body is too large or not JSON, then an error answers with HTTP 200', async () => {
    for (const body of [JSON.stringify({ ...submission(), pad: 'x'.repeat(70 * 1024) }), '{not json']) {
      const response = await fetch(`${world.rootUrl}/standalone/dialog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(response.status, 200);
      assert.ok(typeof ((await response.json()) as { error?: string }).error === 'string');
    }
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  /** A router with the given purposes only, and a submit(user, purpose, state?) against it. */
  async function withTable(
    purposes: Record<string, DialogPurpose>,
    run: (submit: (user: FakeUser, purpose: string, state?: string) => Promise<unknown>) => Promise<void>,
  ) {
    const tables = createServiceTables();
    for (const [name, purpose] of Object.entries(purposes)) tables.dialogs.set(name, purpose);
    const app = express().use('/standalone', createStandaloneRouter(world.deps, tables));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await run(async (user, purpose, state) => {
        const signed = state ?? signDialogState(world.deps.dialogKey, { user_id: user.id, purpose, target: 'one' }, Date.now());
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/standalone/dialog`, {
          method: 'POST',
          body: JSON.stringify({ callback_id: purpose, state: signed, user_id: user.id, submission: {} }),
        });
        return (await response.json()) as Record<string, unknown>;
      });
    } finally {
      server.close();
    }
  }

  it('when an admin purpose is submitted, then admin rights are re-read from Mattermost at submission (a deactivated admin is refused)', async () => {
    let ran = 0;
    const handle = async () => {
      ran += 1;
      return {};
    };
    await withTable({ 'provider.remove': { admin: true, handle } }, async (submit) => {
      try {
        assert.deepEqual(await submit(alice, 'provider.remove'), { error: 'Only system admins can do this.' });
        assert.equal(ran, 0);
        alice.roles = 'system_user system_admin';
        assert.deepEqual(await submit(alice, 'provider.remove'), {});
        assert.equal(ran, 1);
        world.mm.deactivate(alice.id);
        assert.deepEqual(await submit(alice, 'provider.remove'), { error: 'Only system admins can do this.' });
        assert.equal(ran, 1);
      } finally {
        alice.roles = 'system_user';
        alice.delete_at = 0;
      }
    });
  });

  it('when a handler refuses, then its dialog can be submitted again; when it fails unexpectedly, then the dialog stays used', async () => {
    const runs: string[] = [];
    const refusing: DialogPurpose = {
      admin: false,
      handle: async () => {
        runs.push('refused');
        throw new UserFacingError('Not yet.');
      },
    };
    const failing: DialogPurpose = {
      admin: false,
      handle: async () => {
        runs.push('failed');
        throw new Error('half done');
      },
    };
    await withTable({ 'test.refusing': refusing, 'test.failing': failing }, async (submit) => {
      const refusingState = signDialogState(world.deps.dialogKey, { user_id: alice.id, purpose: 'test.refusing', target: '' }, Date.now());
      assert.deepEqual(await submit(alice, 'test.refusing', refusingState), { error: 'Not yet.' });
      assert.deepEqual(await submit(alice, 'test.refusing', refusingState), { error: 'Not yet.' });
      const failingState = signDialogState(world.deps.dialogKey, { user_id: alice.id, purpose: 'test.failing', target: '' }, Date.now());
      assert.deepEqual(await submit(alice, 'test.failing', failingState), { error: 'Something went wrong on the service. Nothing was changed.' });
      assert.deepEqual(await submit(alice, 'test.failing', failingState), { error: DIALOG_USED });
    });
    assert.deepEqual(runs, ['refused', 'refused', 'failed']);
  });
});
