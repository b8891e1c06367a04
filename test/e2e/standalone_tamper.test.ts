// A team admin against the service's /oauth2 on a real Mattermost without the
// Apps plugin: bob creates a team (so he is its admin), setup puts /oauth2
// there, and he changes its URL, regenerates its token, deletes it and makes
// his own. Requests carrying his token are refused by the real service; the
// next check (setup --sync for the regular bot, the service's team sync for
// the admin bot) restores the command and the system admins get a direct
// message. Also: what a regular bot can do, and retiring an admin bot.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runSetup } from '../../src/hosts/standalone/setup/setup.js';
import { runSetupCli } from '../../src/hosts/standalone/setup/setup_cli.js';
import { startTeamSync } from '../../src/hosts/standalone/setup/team_sync_loop.js';
import { createMattermostBot } from '../../src/hosts/standalone/bot.js';
import type { BotRole, InstallationStore } from '../../src/hosts/standalone/ports.js';
import { startListeningService, type ListeningService } from '../support/standalone_service.js';
import { ensureBuilt } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';

interface Command {
  id: string;
  token: string;
  trigger: string;
  url: string;
  method: string;
  creator_id: string;
  team_id: string;
}

describe('a team admin tampering with /oauth2 on a real Mattermost (no Apps plugin)', { timeout: 10 * 60_000 }, () => {
  let w: StandaloneWorld;
  let svc: ListeningService;
  let store: InstallationStore;
  let bob: mm.Session;
  let team: { id: string; name: string };
  let channelId: string;

  const setup = (botRole?: BotRole) => runSetup({ adminToken: w.admin.token, mattermostUrl: w.server.url, rootUrl: svc.root, store, mode: 'apply', botRole });
  const ours = async () =>
    (await w.admin.client.json<Command[]>('GET', `/api/v4/commands?team_id=${team.id}&custom_only=true`)).filter((c) => c.trigger === 'oauth2');
  const botId = async () => (await store.getInstallation())!.bot_user_id;
  /** alice types /oauth2 help (in bob's team by default): Mattermost calls the service with the team's command token. */
  const aliceTypesHelp = async (teamId = team.id) => {
    const channel = teamId === team.id ? channelId : (await w.alice.client.json<{ id: string }>('GET', `/api/v4/teams/${teamId}/channels/name/town-square`)).id;
    return w.alice.client.raw('POST', '/api/v4/commands/execute', { command: '/oauth2 help', channel_id: channel, team_id: teamId });
  };
  let gamma: { id: string; name: string };
  /** A command request straight to the service, carrying `token`, as whoever holds it can send. */
  const postWithToken = (token: string) =>
    fetch(`${svc.root}/standalone/command`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, team_id: team.id, channel_id: channelId, user_id: w.admin.user.id, command: '/oauth2', text: 'help' }),
    });
  /** The direct messages the admin received from the bot, oldest first. */
  const adminMessages = async () => (await mm.directPosts(w.admin.client, w.admin.user.id, await botId())).map((p) => p.message);
  async function setupSync(): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const env = { APP_MATTERMOST_URL: w.server.url, APP_ROOT_URL: svc.root, APP_ENCRYPTION_KEY: svc.encryptionKey, MM_ADMIN_TOKEN: w.admin.token };
    const code = await runSetupCli(['--sync'], {
      env,
      openStore: async () => ({ store, close: async () => undefined }),
      askToken: async () => undefined,
      print: (t) => out.push(t),
    });
    return { code, out: out.join('\n') };
  }

  before(async () => {
    w = await startStandaloneWorld(await ensureBuilt(), ['alpha']);
    svc = await startListeningService({ storage: 'sqlite', mattermostUrl: () => w.server.url });
    store = svc.service.standalone!.repositories.installation;
    await mm.createUser(w.admin.client, 'bob');
    bob = await mm.login(w.server.directUrl, 'bob');
    team = await mm.createTeam(bob.client, 'bobs');
    await mm.addToTeam(w.admin.client, team.id, w.alice.user.id);
    channelId = (await w.alice.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`)).id;
  });
  after(async () => {
    if (svc) await runSetup({ adminToken: w.admin.token, mattermostUrl: w.server.url, rootUrl: svc.root, store, mode: 'remove' }).catch(() => undefined);
    await svc?.close();
    await w?.stop();
  });

  it("when setup runs with the default role, then the bot holds no system_admin, /oauth2 in bob's team is the admin's, and the regular bot can read roles, send messages and open dialogs", async () => {
    const report = await setup();
    assert.deepEqual(report.problems, [], report.format());
    const bot = await w.admin.client.json<mm.User>('GET', `/api/v4/users/${await botId()}`);
    assert.equal(bot.roles, 'system_user');
    assert.equal((await ours())[0]!.creator_id, w.admin.user.id);
    const facade = createMattermostBot({ siteUrl: w.server.url, installation: store, timeoutMs: 10_000 });
    assert.equal(await facade.isSystemAdmin(w.admin.user.id), true);
    assert.equal(await facade.isSystemAdmin(bob.user.id), false);
    await facade.dm(w.alice.user.id, 'hello from a regular bot');
    assert.equal((await mm.directPosts(w.alice.client, w.alice.user.id, bot.id)).at(-1)?.message, 'hello from a regular bot');
    // The admin's `/oauth2 provider add` (in his own team) makes the service open a dialog with the bot's token.
    const alpha = w.teams[0]!;
    const square = await w.admin.client.json<{ id: string }>('GET', `/api/v4/teams/${alpha.id}/channels/name/town-square`);
    const res = await w.admin.client.raw('POST', '/api/v4/commands/execute', { command: '/oauth2 provider add', channel_id: square.id, team_id: alpha.id });
    const answer = (await res.json()) as { text?: string };
    assert.equal(res.status, 200);
    assert.doesNotMatch(answer.text ?? '', /went wrong|failed/i, JSON.stringify(answer));
  });

  it('when bob changes its URL, then setup --sync restores it and the admin is told where it pointed', async () => {
    const [command] = await ours();
    await bob.client.json('PUT', `/api/v4/commands/${command!.id}`, { ...command, url: 'https://evil.example/steal' });
    const run = await setupSync();
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /WARNING: team "bobs": the \/oauth2 command had been changed: URL now `https:\/\/evil.example\/steal`; restored it/);
    assert.equal((await ours())[0]!.url, `${svc.root}/standalone/command`);
    assert.match(
      (await adminMessages()).at(-1)!,
      /- Team `bobs`: the \/oauth2 command had been changed: URL now `https:\/\/evil.example\/steal`\. Restored it\./,
    );
  });

  it('when bob regenerates its token, then his token is refused (401) until and after setup --sync makes a new one', async () => {
    const [command] = await ours();
    const { token: held } = await bob.client.json<{ token: string }>('PUT', `/api/v4/commands/${command!.id}/regen_token`);
    assert.equal((await postWithToken(held)).status, 401);
    assert.notEqual((await aliceTypesHelp()).status, 200, 'Mattermost now sends his token: the service refuses it');
    const run = await setupSync();
    assert.match(run.out, /WARNING: team "bobs": the token of the \/oauth2 command had been regenerated by someone else; made a new token/);
    assert.notEqual((await ours())[0]!.token, held);
    assert.equal((await postWithToken(held)).status, 401);
    assert.equal((await aliceTypesHelp()).status, 200);
    assert.match((await adminMessages()).at(-1)!, /the token of the \/oauth2 command had been regenerated by someone else\. Made a new token/);
  });

  it("when bob deletes it and makes his own /oauth2 at the service, then its requests are refused, and setup --sync puts the service's back", async () => {
    const [command] = await ours();
    await bob.client.json('DELETE', `/api/v4/commands/${command!.id}`);
    const theirs = await bob.client.json<Command>('POST', '/api/v4/commands', {
      team_id: team.id,
      trigger: 'oauth2',
      method: 'P',
      url: `${svc.root}/standalone/command`,
    });
    assert.equal((await postWithToken(theirs.token)).status, 401);
    assert.notEqual((await aliceTypesHelp()).status, 200, 'his command reaches the service with his token: refused');
    assert.ok(svc.logs.some((l) => l.includes('command refused') && l.includes(team.id)));
    const run = await setupSync();
    assert.match(
      run.out,
      /WARNING: team "bobs": a `\/oauth2` command not made by this service was in place of its \/oauth2 \(made by @bob, URL `[^`]+`\); deleted it and made the service's own \/oauth2 again/,
    );
    const [restored] = await ours();
    assert.notEqual(restored!.id, theirs.id);
    assert.equal(restored!.creator_id, w.admin.user.id);
    assert.equal((await postWithToken(theirs.token)).status, 401);
    assert.equal((await aliceTypesHelp()).status, 200);
    assert.match((await adminMessages()).at(-1)!, /made by @bob[^\n]*\. Deleted it and made the service's own \/oauth2 again\./);
  });

  it('when the admin bot is chosen, then its team sync adds /oauth2 to a new team, restores a changed URL itself and tells the admin', async () => {
    const report = await setup('admin');
    assert.deepEqual(report.problems, [], report.format());
    gamma = await mm.createTeam(w.admin.client, 'gamma');
    await mm.addToTeam(w.admin.client, gamma.id, w.alice.user.id);
    const [command] = await ours();
    await bob.client.json('PUT', `/api/v4/commands/${command!.id}`, { ...command, url: 'https://evil.example/again' });
    const lines: string[] = [];
    const logger = { info: (m: string) => void lines.push(`INFO ${m}`), warn: (m: string) => void lines.push(`WARN ${m}`) };
    const loop = startTeamSync({ store, mattermostUrl: w.server.url, rootUrl: svc.root, intervalMs: 3_600_000, logger });
    await loop.runNow().finally(() => loop.stop());
    assert.equal((await ours())[0]!.url, `${svc.root}/standalone/command`);
    assert.ok(lines.includes('INFO team sync: created /oauth2 in team "gamma"'), lines.join('\n'));
    assert.ok(
      lines.includes('WARN team sync: team "bobs": the /oauth2 command had been changed: URL now `https://evil.example/again`; restored it'),
      lines.join('\n'),
    );
    assert.match((await adminMessages()).at(-1)!, /\(found by team sync\)[\s\S]*URL now `https:\/\/evil.example\/again`\. Restored it\./);
  });

  it('when going back to the regular bot while the admin is the only person with system_admin, then Mattermost refuses the demotion and setup retires the admin bot', async () => {
    const oldBot = await botId();
    const report = await setup('regular');
    assert.deepEqual(report.problems, [], report.format());
    assert.match(report.done.join('\n'), /the admin bot was retired/);
    const retired = await w.admin.client.json<mm.User & { delete_at: number }>('GET', `/api/v4/users/${oldBot}`);
    assert.ok(retired.delete_at > 0);
    const fresh = await w.admin.client.json<mm.User>('GET', `/api/v4/users/${await botId()}`);
    assert.notEqual(fresh.id, oldBot);
    assert.equal(fresh.roles, 'system_user');
    assert.equal((await aliceTypesHelp()).status, 200, 'the commands keep working');
    assert.equal((await aliceTypesHelp(gamma.id)).status, 200, 'also the one the retired bot made');
    const quiet = await setupSync();
    assert.deepEqual([quiet.code, quiet.out], [0, ''], "nothing to repair: the retired bot's command is still the service's");
  });
});
