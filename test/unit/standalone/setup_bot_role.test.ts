import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BOT_USERNAME } from '../../../src/hosts/standalone/setup/names.js';
import { cli, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.close());

const users = () => [...w.mm.state.users.values()];
const bot = () => users().find((u) => u.username === BOT_USERNAME)!;
const admin = () => users().find((u) => u.username === 'admin')!;
const liveTokensOf = (userId: string) => [...w.mm.state.tokens.values()].filter((t) => t.user_id === userId && t.is_active);

describe('the bot role: regular by default, admin only when chosen', () => {
  it("when setup runs without --bot-role, then the bot is a regular user, recorded as such, and the commands are the admin's", async () => {
    const { code, out } = await cli(w, []);
    assert.equal(code, 0, out);
    assert.equal(bot().roles, 'system_user');
    assert.ok(!w.mm.state.calls.some((c) => c.endsWith(`/users/${bot().id}/roles`)), 'no role change was even asked');
    assert.equal(w.store.installation!.bot_role, 'regular');
    for (const c of w.mm.state.liveCommands()) assert.equal(c.creator_id, admin().id);
    const [run] = w.audit.entries;
    assert.deepEqual({ ...run, at: 0 }, { at: 0, actor_user_id: admin().id, action: 'setup', target: '', outcome: 'ok', detail: run?.detail });
    assert.match(run?.detail ?? '', /^apply: \d+ changes, 0 findings, 0 problems$/, 'the run is in the audit trail, by the admin whose token it used');
    assert.equal(w.audit.entries.length, 1);
  });

  it('when setup runs with --bot-role admin, then the bot gets system_admin, makes the commands, and the choice is kept by later runs', async () => {
    assert.equal((await cli(w, ['--bot-role', 'admin'])).code, 0);
    assert.equal(bot().roles, 'system_user system_admin');
    assert.equal(w.store.installation!.bot_role, 'admin');
    for (const c of w.mm.state.liveCommands()) assert.equal(c.creator_id, bot().id);
    w.mm.state.calls.length = 0;
    const again = await cli(w, []);
    assert.match(again.out, /ok: {3}the bot holds system_admin \(--bot-role admin\)/);
    assert.deepEqual(w.mm.state.writes(), []);
    const entries = w.audit.entries.length;
    assert.equal((await cli(w, ['--sync'])).code, 0);
    assert.equal(w.audit.entries.length, entries, 'a sync run that found nothing is not kept');
  });

  it('when an earlier setup made an admin bot and another person is a system admin too, then --bot-role regular takes the role away from the same bot', async () => {
    w.mm.state.addUser('root', 'system_user system_admin');
    await cli(w, ['--bot-role', 'admin']);
    const before = { id: bot().id, token: w.store.installation!.bot_token };
    const { code, out } = await cli(w, ['--bot-role', 'regular']);
    assert.equal(code, 0, out);
    assert.match(out, /done: took the system_admin role from the bot @oauth2-connect \(--bot-role regular\)/);
    assert.equal(bot().id, before.id);
    assert.equal(bot().roles, 'system_user');
    assert.equal(w.store.installation!.bot_role, 'regular');
    assert.equal(w.store.installation!.bot_token, before.token, "the token now carries only a regular user's rights");
  });

  it('when Mattermost refuses to demote it (one person is the only system admin), then the admin bot is retired, token-less and disabled, and a new regular bot takes its name', async () => {
    await cli(w, ['--bot-role', 'admin']);
    const old = bot();
    const oldToken = w.store.installation!.bot_token;
    const { code, out } = await cli(w, ['--bot-role', 'regular']);
    assert.equal(code, 0, out);
    assert.match(out, /the admin bot was retired: its tokens revoked, renamed @oauth2-connect-retired-\w{8}, disabled/);
    assert.ok(old.delete_at > 0);
    assert.match(old.username, /^oauth2-connect-retired-/);
    assert.deepEqual(liveTokensOf(old.id), []);
    assert.ok(!w.mm.state.tokens.has(oldToken), 'the admin token a leak could expose is revoked');
    const fresh = bot();
    assert.notEqual(fresh.id, old.id);
    assert.equal(fresh.roles, 'system_user');
    assert.equal(w.store.installation!.bot_user_id, fresh.id);
    assert.equal(w.mm.state.tokens.get(w.store.installation!.bot_token)?.user_id, fresh.id);
    const sync = await cli(w, ['--sync']);
    assert.deepEqual([sync.code, sync.out], [0, ''], "the retired bot's commands are still the service's: nothing to repair");
  });

  it('when --check is given a role the bot does not have, then it says what setup would change and changes nothing', async () => {
    await cli(w, ['--bot-role', 'admin']);
    w.mm.state.calls.length = 0;
    const { code, out } = await cli(w, ['--check', '--bot-role', 'regular']);
    assert.equal(code, 1);
    assert.match(
      out,
      /PROBLEM: the bot @oauth2-connect holds system_admin, which --bot-role regular takes away\n {4}fix: run oauth2-connect setup --bot-role regular/,
    );
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when an installation predates the choice, then setup keeps the admin bot it had (no silent change), until told otherwise', async () => {
    await cli(w, ['--bot-role', 'admin']);
    delete w.store.installation!.bot_role;
    const { out } = await cli(w, []);
    assert.equal(bot().roles, 'system_user system_admin', out);
    assert.equal(w.store.installation!.bot_role, 'admin');
  });

  it('when --bot-role is unknown or given with --remove, or two modes are given, then usage and exit 2 without calling Mattermost', async () => {
    for (const args of [['--bot-role', 'root'], ['--remove', '--bot-role', 'admin'], ['--check', '--sync'], ['--bot-role']]) {
      const { code, out } = await cli(w, args);
      assert.equal(code, 2, args.join(' '));
      assert.match(out, /usage: oauth2-connect setup \[--check \| --sync \| --remove\] \[--bot-role regular\|admin\] \[--force\]/);
    }
    assert.deepEqual(w.mm.state.calls, []);
  });
});
