// `oauth2-connect setup` and team sync against a real Mattermost without the Apps
// plugin: idempotence, the objects it makes, a team created later, and a real
// `/oauth2 help` reaching the service with a token that matches the stored hash;
// and the `oauth2-connect setup` command line itself, spawned as an admin runs it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { openSetupStore } from '../../src/hosts/standalone/setup/setup_store.js';
import { createMattermostClient } from '../../src/hosts/standalone/client4.js';
import { BOT_USERNAME, SIGNIN_APP_NAME } from '../../src/hosts/standalone/setup/names.js';
import { runSetup, type SetupMode } from '../../src/hosts/standalone/setup/setup.js';
import { syncTeams } from '../../src/hosts/standalone/setup/team_sync.js';
import { MemoryInstallationStore } from '../support/memory_installation_store.js';
import { ensureBuilt } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';
import { startCommandStub, type CommandStub } from './standalone_stub.js';
import { createSigningKeySource } from '../../src/hosts/standalone/trigger/signing_key.js';
import { checkTrigger } from '../../src/hosts/standalone/trigger/trigger_check.js';
import { MemoryOneTime } from '../support/standalone/memory_stores.js';
import { otherEncodings } from '../support/standalone/trigger_encodings.js';

describe('standalone setup against a real Mattermost (no Apps plugin)', { timeout: 10 * 60_000 }, () => {
  let w: StandaloneWorld;
  let stub: CommandStub;
  const store = new MemoryInstallationStore();
  // The admin bot (`--bot-role admin`): its own team sync adds /oauth2 to teams made later.
  const setup = (mode: SetupMode) =>
    runSetup({ adminToken: w.admin.token, mattermostUrl: w.server.directUrl, rootUrl: stub.url, store, mode, botRole: 'admin' });
  const customCommands = (teamId: string) =>
    w.admin.client.json<Array<{ id: string; trigger: string; url: string; method: string; creator_id: string; auto_complete: boolean }>>(
      'GET',
      `/api/v4/commands?team_id=${teamId}&custom_only=true`,
    );

  before(async () => {
    w = await startStandaloneWorld(await ensureBuilt());
    stub = await startCommandStub(store);
  });
  after(async () => {
    await stub?.close();
    await w?.stop();
  });

  it('when setup runs twice with the admin bot, then the first creates everything and the second changes nothing', async () => {
    const first = await setup('apply');
    assert.deepEqual(first.problems, [], first.format());
    assert.ok(first.done.length >= 5, first.format());
    const stored = JSON.stringify({ i: store.installation, c: [...store.commands] });
    const second = await setup('apply');
    assert.deepEqual(second.problems, [], second.format());
    assert.deepEqual(second.done, [], second.format());
    assert.equal(JSON.stringify({ i: store.installation, c: [...store.commands] }), stored);
    assert.equal((await setup('check')).healthy, true);
  });

  it('then setup recorded that this server has no Apps plugin (so the service, without APP_HOSTS, serves the standalone host only)', () => {
    assert.equal(store.installation?.apps_plugin, false);
  });

  it('then the bot, its working token, the trusted app and /oauth2 in both teams exist', async () => {
    const inst = store.installation!;
    const bot = await w.admin.client.json<mm.User & { is_bot: boolean }>('GET', `/api/v4/users/username/${BOT_USERNAME}`);
    assert.equal(bot.is_bot, true);
    assert.equal(bot.id, inst.bot_user_id);
    assert.match(bot.roles, /system_admin/);
    assert.equal((await createMattermostClient(w.server.directUrl, inst.bot_token).getMe()).id, bot.id);
    const app = await w.admin.client.json<{ name: string; is_trusted: boolean; callback_urls: string[] }>('GET', `/api/v4/oauth/apps/${inst.oauth_client_id}`);
    assert.equal(app.name, SIGNIN_APP_NAME);
    assert.equal(app.is_trusted, true);
    assert.deepEqual(app.callback_urls, [`${stub.url}/standalone/signin/callback`]);
    for (const team of w.teams) {
      const ours = (await customCommands(team.id)).filter((c) => c.trigger === 'oauth2');
      assert.equal(ours.length, 1, team.name);
      assert.equal(ours[0]!.url, `${stub.url}/standalone/command`);
      assert.equal(ours[0]!.method, 'P');
      assert.equal(ours[0]!.creator_id, bot.id);
      assert.equal((await store.commandForTeam(team.id))?.command_id, ours[0]!.id);
    }
  });

  it('when a team is created afterwards, then syncTeams with the bot token gives it /oauth2', async () => {
    const gamma = await mm.createTeam(w.admin.client, 'gamma');
    await mm.addToTeam(w.admin.client, gamma.id, w.alice.user.id);
    w.teams.push(gamma);
    const inst = store.installation!;
    const report = await syncTeams({
      client: createMattermostClient(w.server.directUrl, inst.bot_token),
      store,
      rootUrl: stub.url,
      botUserId: inst.bot_user_id,
    });
    assert.deepEqual(report.done, ['created /oauth2 in team "gamma"'], report.format());
    assert.equal((await customCommands(gamma.id)).filter((c) => c.trigger === 'oauth2').length, 1);
  });

  it('when alice runs /oauth2 help in the new team, then the service gets it with a token matching the stored hash', async () => {
    const gamma = w.teams.at(-1)!;
    const channel = await w.alice.client.json<{ id: string }>('GET', `/api/v4/teams/${gamma.id}/channels/name/town-square`);
    const answer = await w.alice.client.json<{ text: string; response_type: string }>('POST', '/api/v4/commands/execute', {
      command: '/oauth2 help',
      channel_id: channel.id,
      team_id: gamma.id,
    });
    assert.equal(answer.text, 'stub got /oauth2 help');
    const seen = stub.requests.at(-1)!;
    assert.equal(seen.accepted, true);
    assert.equal(seen.form.get('user_id'), w.alice.user.id);
    assert.equal(seen.form.get('team_id'), gamma.id);
    assert.equal(seen.form.get('text'), 'help');
    // The real server's trigger id verifies under the key its client configuration publishes, for the user who typed.
    const trigger = seen.form.get('trigger_id') ?? '';
    const signingKey = createSigningKeySource({ mattermostUrl: w.server.directUrl, fetch, timeoutMs: 5000, now: Date.now, onFailure: assert.fail });
    const check = { signingKey, oneTime: new MemoryOneTime(), windowMs: 30_000, wallClock: Date.now };
    assert.equal(await checkTrigger(check, trigger, w.alice.user.id), undefined);
    assert.equal(await checkTrigger(check, trigger, w.alice.user.id), 'replayed');
    // The same trigger in another text (no padding, the signature's other valid form) finds it spent too.
    for (const variant of otherEncodings(trigger)) assert.equal(await checkTrigger(check, variant, w.alice.user.id), 'replayed', variant);
    assert.equal(await checkTrigger({ ...check, oneTime: new MemoryOneTime() }, trigger, w.admin.user.id), 'other_user');
    assert.match(seen.form.get('response_url') ?? '', new RegExp(`^${w.server.url}/hooks/commands/[a-z0-9]{26}$`));
    assert.equal(seen.authorization, `Token ${seen.form.get('token')}`);
  });

  it('when --remove runs, then the commands and the app are gone, the bot is disabled, and the command no longer reaches the service', async () => {
    const report = await setup('remove');
    assert.deepEqual(report.problems, [], report.format());
    // The real server counts only people as system admins: with one, the bot cannot be demoted.
    assert.match(report.fine.join('\n'), /Cannot demote last System Admin/);
    for (const team of w.teams)
      assert.deepEqual(
        (await customCommands(team.id)).filter((c) => c.trigger === 'oauth2'),
        [],
      );
    const apps = await w.admin.client.json<Array<{ name: string }>>('GET', '/api/v4/oauth/apps?page=0&per_page=200');
    assert.equal(apps.filter((a) => a.name === SIGNIN_APP_NAME).length, 0);
    const bot = await w.admin.client.json<{ delete_at: number; roles: string }>('GET', `/api/v4/users/username/${BOT_USERNAME}`);
    assert.ok(bot.delete_at > 0);
    assert.equal(store.installation, undefined);
    const requests = stub.requests.length;
    const channel = await w.alice.client.json<{ id: string }>('GET', `/api/v4/teams/${w.teams[0]!.id}/channels/name/town-square`);
    const res = await w.alice.client.raw('POST', '/api/v4/commands/execute', { command: '/oauth2 help', channel_id: channel.id, team_id: w.teams[0]!.id });
    assert.notEqual(res.status, 200);
    assert.equal(stub.requests.length, requests);
  });

  describe('the `oauth2-connect setup` command line, spawned with the admin token in MM_ADMIN_TOKEN', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'setup-cli-'));
    const env = () => ({
      APP_MATTERMOST_URL: w.server.url,
      APP_ROOT_URL: stub.url,
      APP_DATA_DIR: dataDir,
      APP_ENCRYPTION_KEY: encryptionKey,
      MM_ADMIN_TOKEN: w.admin.token,
    });
    const encryptionKey = randomBytes(32).toString('base64');
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    /** `oauth2-connect setup [-- args]` in the project folder, as an admin runs it; its exit code and what it printed. */
    function npmSetup(args: string[]): { status: number | null; output: string } {
      const run = spawnSync('npm', ['run', '--silent', 'setup', ...(args.length > 0 ? ['--', ...args] : [])], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env() },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    }

    it('when it runs after --remove, then it prints what it created, exits 0, and the objects exist and point at the service', async () => {
      const run = npmSetup(['--bot-role', 'admin']);
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, new RegExp(`OAuth2 Connect setup \\(apply\\) against ${w.server.url}, service at ${stub.url}`));
      assert.match(run.output, /done: .*bot/i, run.output);
      assert.match(run.output, /done: .*OAuth/i, run.output);
      for (const team of w.teams) assert.match(run.output, new RegExp(`done: created /oauth2 in team "${team.name}"`), run.output);
      assert.match(run.output, /^Done\.$/m);
      assert.ok(!run.output.includes(w.admin.token), 'the admin token is never printed');

      const opened = await openSetupStore(loadConfig(env()));
      const installation = await opened.store.getInstallation().finally(() => opened.close());
      assert.ok(installation, "the installation is in the service's own database");
      assert.ok(!run.output.includes(installation.bot_token) && !run.output.includes(installation.oauth_client_secret), 'no secret is printed');
      const bot = await w.admin.client.json<mm.User & { is_bot: boolean; delete_at: number }>('GET', `/api/v4/users/username/${BOT_USERNAME}`);
      assert.equal(bot.id, installation.bot_user_id);
      assert.equal(bot.delete_at, 0, 'the bot is active again');
      assert.equal((await createMattermostClient(w.server.directUrl, installation.bot_token).getMe()).id, bot.id);
      const app = await w.admin.client.json<{ is_trusted: boolean; callback_urls: string[] }>('GET', `/api/v4/oauth/apps/${installation.oauth_client_id}`);
      assert.equal(app.is_trusted, true);
      assert.deepEqual(app.callback_urls, [`${stub.url}/standalone/signin/callback`]);
      for (const team of w.teams) {
        const ours = (await customCommands(team.id)).filter((c) => c.trigger === 'oauth2');
        assert.deepEqual(
          ours.map((c) => c.url),
          [`${stub.url}/standalone/command`],
          team.name,
        );
      }
    });

    it('when --check runs, then it only reports: exit 0, nothing done, and every object unchanged', async () => {
      const commands = JSON.stringify(await Promise.all(w.teams.map((t) => customCommands(t.id))));
      const run = npmSetup(['--check']);
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /OAuth2 Connect setup \(check\)/);
      assert.doesNotMatch(run.output, /done:|PROBLEM/);
      assert.match(run.output, /ok: /);
      assert.equal(JSON.stringify(await Promise.all(w.teams.map((t) => customCommands(t.id)))), commands);
    });

    it('when --check runs without a token, then it says how to give one and exits 2', () => {
      const run = spawnSync('npm', ['run', '--silent', 'setup', '--', '--check'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env(), MM_ADMIN_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stdout, /No admin token: set MM_ADMIN_TOKEN/);
    });
  });
});
