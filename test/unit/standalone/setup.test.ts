import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { BOT_USERNAME } from '../../../src/hosts/standalone/setup/names.js';
import { commandFieldsHash } from '../../../src/hosts/standalone/setup/team_commands.js';
import { ROOT, secretsOf, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.close());

const bot = () => [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME);
const admin = () => [...w.mm.state.users.values()].find((u) => u.username === 'admin')!;

function assertNoSecret(text: string): void {
  for (const secret of secretsOf(w)) assert.ok(!text.includes(secret), 'a secret reached the report');
}

describe('oauth2-connect setup (fake Mattermost)', () => {
  it('when run first, then it creates a regular bot, its token, the trusted app and /oauth2 in every team (made by the admin), and stores them', async () => {
    const report = await w.run();
    assert.deepEqual(report.problems, []);
    const b = bot()!;
    assert.equal(b.is_bot, true);
    assert.equal(b.display_name, 'OAuth2 Connect');
    assert.equal(b.roles, 'system_user', 'no system_admin unless --bot-role admin');
    const inst = w.store.installation!;
    assert.equal(inst.bot_role, 'regular');
    assert.equal(w.mm.state.tokens.get(inst.bot_token)?.user_id, b.id);
    const app = w.mm.state.oauthApps.get(inst.oauth_client_id)!;
    assert.deepEqual(app.callback_urls, [`${ROOT}/standalone/signin/callback`]);
    assert.equal(app.is_trusted, true);
    assert.equal(app.client_secret, inst.oauth_client_secret);
    for (const team of w.teams) {
      const [command] = w.mm.state.liveCommands(team);
      assert.ok(command);
      assert.equal(command.url, `${ROOT}/standalone/command`);
      assert.equal(command.method, 'P');
      assert.equal(command.auto_complete, true);
      assert.equal(command.creator_id, admin().id, 'a regular bot cannot manage commands: the admin running setup makes them');
      assert.deepEqual(await w.store.commandForTeam(team), {
        team_id: team,
        command_id: command.id,
        token_hash: hashCommandToken(command.token),
        creator_id: admin().id,
        fields_hash: commandFieldsHash(command as never),
        updated_at: w.store.commands.get(team)!.updated_at,
      });
    }
    assertNoSecret(report.format());
  });

  it('when run a second time, then it changes nothing in Mattermost nor in the store', async () => {
    await w.run();
    const before = JSON.stringify({ i: w.store.installation, c: [...w.store.commands] });
    w.mm.state.calls.length = 0;
    const report = await w.run();
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.done, []);
    assert.deepEqual(w.mm.state.writes(), []);
    assert.equal(JSON.stringify({ i: w.store.installation, c: [...w.store.commands] }), before);
  });

  it("when the admin token is not a system admin's, then it says so and creates nothing", async () => {
    const person = w.mm.state.addUser('someone');
    w.adminToken = w.mm.state.tokenFor(person.id);
    const report = await w.run();
    assert.equal(report.problems.length, 1);
    assert.match(report.problems[0]!.what, /@someone, who is not a system admin/);
    assert.deepEqual(w.mm.state.writes(), []);
    assert.equal(bot(), undefined);
    assert.equal(w.store.installation, undefined);
  });

  it('when a setting is off, then apply changes nothing and names the config key to set', async () => {
    w.mm.state.service.EnableBotAccountCreation = false;
    const report = await w.run();
    assert.equal(report.problems.length, 1);
    assert.match(report.problems[0]!.fix, /EnableBotAccountCreation=true \(MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true/);
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when manage_oauth is missing from system_admin, then it reports the grant to make and creates nothing', async () => {
    w.mm.state.roles.get('system_admin')!.permissions = ['manage_system'];
    const report = await w.run();
    assert.match(report.problems.map((p) => p.what).join('\n'), /lacks the manage_oauth permission/);
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when the stored bot token was revoked and the installation lost its secret, then a new token is made and the secret regenerated, the app kept', async () => {
    await w.run();
    const first = w.store.installation!;
    w.mm.state.tokens.delete(first.bot_token);
    w.store.installation = { ...first, oauth_client_secret: '' };
    const report = await w.run();
    const second = w.store.installation!;
    assert.notEqual(second.bot_token, first.bot_token);
    assert.equal(second.oauth_client_id, first.oauth_client_id);
    assert.notEqual(second.oauth_client_secret, first.oauth_client_secret);
    assert.equal(w.mm.state.oauthApps.size, 1);
    assert.match(report.done.join('\n'), /no longer works: made a new bot access token …/);
    assertNoSecret(report.format());
  });

  it('when the installation record is lost entirely, then setup with --force finds the app by name and callback and adopts the commands', async () => {
    await w.run();
    const commandIds = w.mm.state
      .liveCommands()
      .map((c) => c.id)
      .sort();
    const oldTokens = [...w.mm.state.tokens.values()].filter((t) => t.user_id === bot()!.id).map((t) => t.id);
    w.store.installation = undefined;
    w.store.commands.clear();
    await w.run('apply', { force: true });
    assert.equal(w.mm.state.oauthApps.size, 1);
    assert.deepEqual(
      w.mm.state
        .liveCommands()
        .map((c) => c.id)
        .sort(),
      commandIds,
    );
    assert.equal(w.store.commands.size, 2);
    const live = [...w.mm.state.tokens.values()].filter((t) => t.user_id === bot()!.id);
    assert.equal(live.length, 1, 'the lost token was revoked');
    assert.ok(!oldTokens.includes(live[0]!.id));
  });

  it('when the service moves to another root URL, then the command URL and the app callback are updated in place', async () => {
    await w.run();
    const report = await w.run('apply', { rootUrl: 'https://connect.example.test' });
    assert.match(report.done.join('\n'), /updated \/oauth2 in team "red" \(url\)/);
    for (const c of w.mm.state.liveCommands()) assert.equal(c.url, 'https://connect.example.test/standalone/command');
    const [app] = [...w.mm.state.oauthApps.values()];
    assert.deepEqual(app!.callback_urls, ['https://connect.example.test/standalone/signin/callback']);
    assert.equal(w.mm.state.liveCommands().length, 2);
  });
});
