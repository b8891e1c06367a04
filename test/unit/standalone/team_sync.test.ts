import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createMattermostClient } from '../../../src/hosts/standalone/client4.js';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { commandFieldsHash } from '../../../src/hosts/standalone/setup/team_commands.js';
import { syncTeams } from '../../../src/hosts/standalone/setup/team_sync.js';
import { loopOnce, ROOT, secretsOf, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
  await w.run('apply', { botRole: 'admin' });
});
afterEach(() => w.close());

/** syncTeams as the service runs it: with the admin bot's stored token. */
async function syncAsBot() {
  const inst = w.store.installation!;
  return syncTeams({ client: createMattermostClient(w.mm.url, inst.bot_token), store: w.store, rootUrl: ROOT, botUserId: inst.bot_user_id });
}

describe('team sync with the admin bot token (fake Mattermost)', () => {
  it('when a team is created after setup, then the next sync gives it /oauth2 and stores its token hash, creator and fields', async () => {
    const green = w.mm.state.addTeam('green');
    const report = await syncAsBot();
    assert.deepEqual(report.done, ['created /oauth2 in team "green"']);
    assert.deepEqual(report.findings, []);
    const [command] = w.mm.state.liveCommands(green);
    assert.deepEqual(await w.store.commandForTeam(green), {
      team_id: green,
      command_id: command!.id,
      token_hash: hashCommandToken(command!.token),
      creator_id: w.store.installation!.bot_user_id,
      fields_hash: commandFieldsHash(command as never),
      updated_at: w.store.commands.get(green)!.updated_at,
    });
  });

  it('when a team is archived, then its record is forgotten', async () => {
    w.mm.state.teams.get(w.teams[1]!)!.delete_at = Date.now();
    await syncAsBot();
    assert.deepEqual(
      (await w.store.listCommands()).map((c) => c.team_id),
      [w.teams[0]],
    );
  });

  it('when nothing changed, then sync makes no write and finds nothing', async () => {
    w.mm.state.calls.length = 0;
    const report = await syncAsBot();
    assert.deepEqual(report.done, []);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when the service moved to another root URL, then the URL is updated quietly (not a finding: the fields were as the service wrote them)', async () => {
    const inst = w.store.installation!;
    const client = createMattermostClient(w.mm.url, inst.bot_token);
    const report = await syncTeams({ client, store: w.store, rootUrl: 'https://moved.example.test', botUserId: inst.bot_user_id });
    assert.deepEqual(report.findings, []);
    assert.match(report.done.join('\n'), /updated \/oauth2 in team "red" \(url\)/);
    for (const c of w.mm.state.liveCommands()) assert.equal(c.url, 'https://moved.example.test/standalone/command');
    assert.equal((await syncTeams({ client, store: w.store, rootUrl: 'https://moved.example.test', botUserId: inst.bot_user_id })).done.length, 0);
  });

  it('when the loop starts, then it syncs at once and logs what it did without secrets; a failing run is logged and retried', async () => {
    const green = w.mm.state.addTeam('green');
    const first = await loopOnce(w);
    assert.equal(w.mm.state.liveCommands(green).length, 1);
    w.mm.state.tokens.delete(w.store.installation!.bot_token);
    const failed = await loopOnce(w);
    assert.equal(failed.report, undefined);
    const lines = [...first.lines, ...failed.lines].join('\n');
    assert.match(lines, /INFO team sync: created \/oauth2 in team "green"/);
    assert.match(lines, /WARN team sync failed; retrying at the next interval.*"status":401/);
    for (const secret of secretsOf(w)) assert.ok(!lines.includes(secret));
  });
});

describe('the team sync loop with a regular bot', () => {
  it('when setup chose the regular bot, then the loop asks Mattermost nothing and says once that setup --sync does the work', async () => {
    await w.run('apply', { botRole: 'regular' });
    const green = w.mm.state.addTeam('green');
    w.mm.state.calls.length = 0;
    const run = await loopOnce(w);
    assert.equal(run.report, undefined);
    assert.deepEqual(w.mm.state.calls, [], 'no request at all');
    assert.deepEqual(w.mm.state.liveCommands(green), []);
    assert.match(run.lines.join('\n'), /team sync: off, the bot is a regular user; run `oauth2-connect setup --sync` on a schedule/);
  });

  it('when an installation record predates the choice (no bot_role), then the loop runs as for the admin bot it had', async () => {
    delete w.store.installation!.bot_role;
    const green = w.mm.state.addTeam('green');
    await loopOnce(w);
    assert.equal(w.mm.state.liveCommands(green).length, 1);
  });
});
