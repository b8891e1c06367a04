/**
 * A user's commands answer from the request and the service's own storage:
 * once the service has read Mattermost's signing key and a user's admin
 * rights (kept a minute, only to decide what help and the panel show),
 * status, help, whoami, connect and the panel make no call to Mattermost.
 * Every admin command still asks Mattermost each time, so a demoted admin
 * who may still see the admin lines cannot run them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NOT_ADMIN } from '../../../src/core/admin/admin_guard.js';
import { ADMIN_VIEW_TTL_MS } from '../../../src/hosts/standalone/admin/admin_view.js';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { PANEL_PROP } from '../../../src/hosts/standalone/panel/panel_commands.js';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { issuedConnection, testOidcConfig } from '../../support/issued_connection.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import type { FakeUser } from '../../support/standalone/fake_mattermost.js';
import { addTestOidcProvider, startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

interface Answer {
  text?: string;
  props?: Record<string, { data?: { is_admin?: boolean } }>;
}

describe("the standalone host's user commands and Mattermost", () => {
  let world: StandaloneWorld;
  let op: StartedOidcProvider;
  let alice: FakeUser;
  let root: FakeUser;

  const run = async (user: FakeUser, text: string): Promise<Answer> => {
    const res = await world.command(user, text);
    assert.equal(res.status, 200, `${text}: HTTP ${res.status}`);
    return (await res.json()) as Answer;
  };
  const userCalls = (user: FakeUser) => world.mm.requests.filter((r) => r === `GET /api/v4/users/${user.id}`).length;

  /** Every user command and the panel, with what each must answer. */
  async function userCommands(user: FakeUser, admin: boolean): Promise<void> {
    assert.match((await run(user, 'status')).text ?? '', /Test OIDC\*\* \(`test-oidc`\): (connected|not connected)/);
    const help = (await run(user, 'help')).text ?? '';
    assert.equal(/System admins:/.test(help), admin, help);
    assert.match((await run(user, 'connect')).text ?? '', /\[Connect your Test OIDC account\]/);
    assert.match((await run(user, 'connect test-oidc')).text ?? '', /\[Connect your Test OIDC account\]/);
    assert.equal((await run(user, '__panel')).props?.[PANEL_PROP]?.data?.is_admin, admin);
  }

  before(async () => {
    world = await startStandaloneWorld({ tables: createServiceTables() });
    op = await startOidcProvider();
    // The test provider is plain http on 127.0.0.1, as APP_ALLOW_PRIVATE_NETWORK=true allows.
    world.deps.engine = createOAuthEngine({ fetch, now: Date.now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true });
    await addTestOidcProvider(world, op);
    alice = world.mm.addUser('alice');
    root = world.mm.addUser('root', 'system_user system_admin');
    await world.stores.connections.save(await issuedConnection(op, testOidcConfig(op), alice.id, 'alice-op'));
  });
  after(async () => {
    await world.close();
    await op.close();
  });

  it('when the key and the rights were read once, then status, help, whoami, connect and the panel make no call to Mattermost', async () => {
    for (const [user, admin] of [
      [alice, false],
      [root, true],
    ] as const) {
      await userCommands(user, admin);
    }
    world.mm.requests.length = 0;
    for (const [user, admin] of [
      [alice, false],
      [root, true],
    ] as const) {
      await userCommands(user, admin);
    }
    assert.match((await run(alice, 'whoami')).text ?? '', /At Test OIDC you are \*\*.*alice-op/);
    assert.deepEqual(world.mm.requests, [], 'no request reached Mattermost');
  });

  it('when an admin is demoted, then help may show the admin lines for a minute, but every admin command asks Mattermost and refuses at once', async () => {
    const carol = world.mm.addUser('carol', 'system_user system_admin');
    assert.match((await run(carol, 'help')).text ?? '', /System admins:/);
    assert.match((await run(carol, 'provider list')).text ?? '', /test-oidc/);
    world.mm.users.get(carol.id)!.roles = 'system_user';
    const before = userCalls(carol);
    assert.match((await run(carol, 'help')).text ?? '', /System admins:/, 'shown from what Mattermost said under a minute ago');
    assert.equal((await run(carol, 'provider list')).text, NOT_ADMIN);
    assert.equal((await run(carol, 'report')).text, NOT_ADMIN);
    assert.equal((await run(carol, 'provider add')).text, NOT_ADMIN);
    assert.equal(userCalls(carol) - before, 3, 'each admin command asked Mattermost; help did not');
    world.clock.offsetMs += ADMIN_VIEW_TTL_MS + 1000;
    try {
      assert.doesNotMatch((await run(carol, 'help')).text ?? '', /System admins:/, 'asked again after a minute');
    } finally {
      world.clock.offsetMs -= ADMIN_VIEW_TTL_MS + 1000;
    }
    assert.equal(world.mm.dialogs.length, 0, 'no dialog opened for the demoted admin');
  });

  it('when Mattermost cannot say whether the user is an admin, then help answers the users’ lines and asks again next time', async () => {
    const dave = world.mm.addUser('dave', 'system_user system_admin');
    const known = world.mm.users.get(dave.id)!;
    world.mm.users.delete(dave.id);
    assert.doesNotMatch((await run(dave, 'help')).text ?? '', /System admins:/);
    assert.ok(world.logs.some((line) => line.includes('admin check failed')));
    world.mm.users.set(dave.id, known);
    assert.match((await run(dave, 'help')).text ?? '', /System admins:/, 'the failure was not kept');
  });
});
