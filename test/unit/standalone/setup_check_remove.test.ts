import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BOT_USERNAME } from '../../../src/hosts/standalone/setup/names.js';
import { cli, secretsOf, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.close());

const run = (args: string[], env: Record<string, string> = {}, askToken?: () => Promise<string | undefined>) => cli(w, args, env, askToken);

describe('setup --check and --remove, and the command line (fake Mattermost)', () => {
  it('when --check finds a setting off, then it names the key, exits 1 and changes nothing', async () => {
    w.mm.state.service.EnableCommands = false;
    w.mm.state.service.SiteURL = '';
    const { code, out } = await run(['--check']);
    assert.equal(code, 1);
    assert.match(out, /ServiceSettings.EnableCommands is off[\s\S]*fix: set EnableCommands=true \(MM_SERVICESETTINGS_ENABLECOMMANDS=true/);
    assert.match(out, /SiteURL is empty[\s\S]*fix: set SiteURL \(MM_SERVICESETTINGS_SITEURL\)/);
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when --check runs before setup, then it lists what is missing and exits 1; after setup it exits 0', async () => {
    const before = await run(['--check']);
    assert.equal(before.code, 1);
    // One run lists everything missing, not only the first.
    assert.match(before.out, /the bot @oauth2-connect does not exist/);
    assert.match(before.out, /the OAuth app "[^"]+" for Sign in with Mattermost does not exist/);
    assert.match(before.out, /team "blue" has no \/oauth2 command/);
    assert.deepEqual(w.mm.state.writes(), []);
    assert.equal((await run([])).code, 0);
    const after = await run(['--check']);
    assert.equal(after.code, 0, after.out);
    assert.match(after.out, /ok: {3}\/oauth2 in team "blue"/);
  });

  it('when --check finds a deleted command, then it warns about that team, exits 1, and neither recreates it nor messages anyone', async () => {
    await run([]);
    w.mm.state.liveCommands(w.teams[1])[0]!.delete_at = Date.now();
    w.mm.state.calls.length = 0;
    const { code, out } = await run(['--check']);
    assert.equal(code, 1);
    assert.match(out, /WARNING: team "blue": the \/oauth2 command had been deleted; left as it is \(setup --check changes nothing\)/);
    assert.deepEqual(w.mm.state.writes(), []);
    assert.deepEqual(w.mm.state.liveCommands(w.teams[1]), []);
    assert.deepEqual(w.mm.state.directPosts, []);
  });

  it('when --remove runs, then the commands and the app are gone, the bot disabled without admin role, the records deleted', async () => {
    w.mm.state.addUser('second-admin', 'system_user system_admin');
    await run([]);
    const { code, out } = await run(['--remove']);
    assert.equal(code, 0, out);
    assert.deepEqual(w.mm.state.liveCommands(), []);
    assert.equal(w.mm.state.oauthApps.size, 0);
    const bot = [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME)!;
    assert.ok(bot.delete_at > 0);
    assert.equal(bot.roles, 'system_user');
    assert.equal([...w.mm.state.tokens.values()].filter((t) => t.user_id === bot.id).length, 0);
    assert.equal(w.store.installation, undefined);
    assert.equal(w.store.commands.size, 0);
    const again = await run([]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /enabled the bot @oauth2-connect again/);
  });

  it('when the admin is the only human system admin, then --remove of an admin bot still succeeds and says the bot keeps its role while disabled', async () => {
    await run(['--bot-role', 'admin']);
    const { code, out } = await run(['--remove']);
    assert.equal(code, 0, out);
    assert.match(out, /Cannot demote last System Admin/);
    const bot = [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME)!;
    assert.ok(bot.delete_at > 0);
    assert.equal([...w.mm.state.tokens.values()].filter((t) => t.user_id === bot.id).length, 0);
    assert.equal(w.store.installation, undefined);
  });

  it('when the output is printed, then it carries no token or secret', async () => {
    const first = await run([]);
    const check = await run(['--check']);
    const removed = await run(['--remove']);
    for (const secret of secretsOf(w)) assert.ok(![first.out, check.out, removed.out].join('\n').includes(secret));
  });

  it('when the admin token is refused, then it says which token to check', async () => {
    const { code, out } = await run([], { MM_ADMIN_TOKEN: 'not-a-token' });
    assert.equal(code, 1);
    assert.match(out, /the admin token was refused by Mattermost[\s\S]*fix: check MM_ADMIN_TOKEN/);
    assert.doesNotMatch(out, /not-a-token/);
  });

  it('when no token is given and there is no terminal, then it exits 2 with what to do', async () => {
    const { code, out } = await run([], { MM_ADMIN_TOKEN: '' });
    assert.equal(code, 2);
    assert.match(out, /set MM_ADMIN_TOKEN/);
    assert.deepEqual(w.mm.state.calls, []);
  });

  it('when the token comes from the prompt, then it is used like MM_ADMIN_TOKEN', async () => {
    const { code } = await run([], { MM_ADMIN_TOKEN: '' }, async () => w.adminToken);
    assert.equal(code, 0);
    assert.ok(w.store.installation);
  });

  it('when APP_MATTERMOST_URL is unset or the option unknown, then it exits 2 without calling Mattermost', async () => {
    assert.equal((await run([], { APP_MATTERMOST_URL: '' })).code, 2);
    const bad = await run(['--frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /usage: oauth2-connect setup/);
    assert.deepEqual(w.mm.state.calls, []);
  });

  it('when Mattermost cannot be reached, then it says so without a stack trace', async () => {
    const { code, out } = await run([], { APP_MATTERMOST_URL: 'http://127.0.0.1:9' });
    assert.equal(code, 1);
    assert.match(out, /Setup stopped: cannot reach Mattermost at http:\/\/127.0.0.1:9 \(fetch failed\); check APP_MATTERMOST_URL/);
    assert.doesNotMatch(out, /at .*\.ts:\d+/);
  });
});
