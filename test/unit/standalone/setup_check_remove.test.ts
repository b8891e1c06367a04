import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BOT_USERNAME } from '../../../src/hosts/standalone/setup/names.js';
import { runSetupCli } from '../../../src/hosts/standalone/setup/setup_cli.js';
import { secretsOf, setupWorld, ROOT, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.close());

async function cli(args: string[], env: Record<string, string> = {}, askToken = async (): Promise<string | undefined> => undefined) {
  const out: string[] = [];
  const code = await runSetupCli(args, {
    env: {
      APP_MATTERMOST_URL: w.mm.url,
      APP_ROOT_URL: ROOT,
      APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      APP_JWT_SECRET: 'x'.repeat(32),
      MM_ADMIN_TOKEN: w.adminToken,
      ...env,
    },
    openStore: async () => ({ store: w.store, close: async () => undefined }),
    askToken,
    print: (t) => out.push(t),
  });
  return { code, out: out.join('\n') };
}

describe('setup --check and --remove, and the command line (fake Mattermost)', () => {
  it('when --check finds a setting off, then it names the key, exits 1 and changes nothing', async () => {
    w.mm.state.service.EnableCommands = false;
    w.mm.state.service.SiteURL = '';
    const { code, out } = await cli(['--check']);
    assert.equal(code, 1);
    assert.match(out, /ServiceSettings.EnableCommands is off[\s\S]*fix: set EnableCommands=true \(MM_SERVICESETTINGS_ENABLECOMMANDS=true/);
    assert.match(out, /SiteURL is empty[\s\S]*fix: set SiteURL \(MM_SERVICESETTINGS_SITEURL\)/);
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when --check runs before setup, then it lists what is missing and exits 1; after setup it exits 0', async () => {
    const before = await cli(['--check']);
    assert.equal(before.code, 1);
    // One run lists everything missing, not only the first.
    assert.match(before.out, /the bot @oauth2-connect does not exist/);
    assert.match(before.out, /the OAuth app "[^"]+" for Sign in with Mattermost does not exist/);
    assert.match(before.out, /team "blue" has no \/oauth2 command/);
    assert.deepEqual(w.mm.state.writes(), []);
    assert.equal((await cli([])).code, 0);
    const after = await cli(['--check']);
    assert.equal(after.code, 0, after.out);
    assert.match(after.out, /ok: {3}\/oauth2 in team "blue"/);
  });

  it('when --check finds a deleted command, then it reports that team and exits 1', async () => {
    await cli([]);
    w.mm.state.liveCommands(w.teams[1])[0]!.delete_at = Date.now();
    const { code, out } = await cli(['--check']);
    assert.equal(code, 1);
    assert.match(out, /team "blue" has no \/oauth2 command/);
  });

  it('when --remove runs, then the commands and the app are gone, the bot disabled without admin role, the records deleted', async () => {
    w.mm.state.addUser('second-admin', 'system_user system_admin');
    await cli([]);
    const { code, out } = await cli(['--remove']);
    assert.equal(code, 0, out);
    assert.deepEqual(w.mm.state.liveCommands(), []);
    assert.equal(w.mm.state.oauthApps.size, 0);
    const bot = [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME)!;
    assert.ok(bot.delete_at > 0);
    assert.equal(bot.roles, 'system_user');
    assert.equal([...w.mm.state.tokens.values()].filter((t) => t.user_id === bot.id).length, 0);
    assert.equal(w.store.installation, undefined);
    assert.equal(w.store.commands.size, 0);
    const again = await cli([]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /enabled the bot @oauth2-connect again/);
  });

  it('when the admin is the only human system admin, then --remove still succeeds and says the bot keeps its role while disabled', async () => {
    await cli([]);
    const { code, out } = await cli(['--remove']);
    assert.equal(code, 0, out);
    assert.match(out, /Cannot demote last System Admin/);
    const bot = [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME)!;
    assert.ok(bot.delete_at > 0);
    assert.equal([...w.mm.state.tokens.values()].filter((t) => t.user_id === bot.id).length, 0);
    assert.equal(w.store.installation, undefined);
  });

  it('when the output is printed, then it carries no token or secret', async () => {
    const first = await cli([]);
    const check = await cli(['--check']);
    const removed = await cli(['--remove']);
    for (const secret of secretsOf(w)) assert.ok(![first.out, check.out, removed.out].join('\n').includes(secret));
  });

  it('when the admin token is refused, then it says which token to check', async () => {
    const { code, out } = await cli([], { MM_ADMIN_TOKEN: 'not-a-token' });
    assert.equal(code, 1);
    assert.match(out, /the admin token was refused by Mattermost[\s\S]*fix: check MM_ADMIN_TOKEN/);
    assert.doesNotMatch(out, /not-a-token/);
  });

  it('when no token is given and there is no terminal, then it exits 2 with what to do', async () => {
    const { code, out } = await cli([], { MM_ADMIN_TOKEN: '' });
    assert.equal(code, 2);
    assert.match(out, /set MM_ADMIN_TOKEN/);
    assert.deepEqual(w.mm.state.calls, []);
  });

  it('when the token comes from the prompt, then it is used like MM_ADMIN_TOKEN', async () => {
    const { code } = await cli([], { MM_ADMIN_TOKEN: '' }, async () => w.adminToken);
    assert.equal(code, 0);
    assert.ok(w.store.installation);
  });

  it('when APP_MATTERMOST_URL is unset or the option unknown, then it exits 2 without calling Mattermost', async () => {
    assert.equal((await cli([], { APP_MATTERMOST_URL: '' })).code, 2);
    const bad = await cli(['--frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /usage: npm run setup/);
    assert.deepEqual(w.mm.state.calls, []);
  });

  it('when Mattermost cannot be reached, then it says so without a stack trace', async () => {
    const { code, out } = await cli([], { APP_MATTERMOST_URL: 'http://127.0.0.1:9' });
    assert.equal(code, 1);
    assert.match(out, /Setup stopped: cannot reach Mattermost at http:\/\/127.0.0.1:9 \(fetch failed\); check APP_MATTERMOST_URL/);
    assert.doesNotMatch(out, /at .*\.ts:\d+/);
  });
});
