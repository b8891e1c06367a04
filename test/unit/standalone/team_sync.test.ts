import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createMattermostClient } from '../../../src/mattermost/client4.js';
import { hashCommandToken } from '../../../src/hosts/standalone/setup/command_token.js';
import { syncTeams } from '../../../src/hosts/standalone/setup/team_sync.js';
import { startTeamSync } from '../../../src/hosts/standalone/setup/team_sync_loop.js';
import { ROOT, secretsOf, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
  await w.run();
});
afterEach(() => w.close());

/** syncTeams as the service runs it: with the bot's stored token. */
async function syncAsBot() {
  const inst = w.store.installation!;
  return syncTeams({ client: createMattermostClient(w.mm.url, inst.bot_token), store: w.store, rootUrl: ROOT, botUserId: inst.bot_user_id });
}

describe('team sync with the bot token (fake Mattermost)', () => {
  it('when a team is created after setup, then the next sync gives it /oauth2 and stores its token hash', async () => {
    const green = w.mm.state.addTeam('green');
    const report = await syncAsBot();
    assert.deepEqual(report.done, ['created /oauth2 in team "green"']);
    const [command] = w.mm.state.liveCommands(green);
    assert.equal((await w.store.commandForTeam(green))?.token_hash, hashCommandToken(command!.token));
  });

  it('when an admin deleted the command, then sync recreates it with a new token and replaces the stored hash', async () => {
    const [old] = w.mm.state.liveCommands(w.teams[0]);
    old!.delete_at = Date.now();
    const report = await syncAsBot();
    assert.deepEqual(report.done, ['recreated the deleted /oauth2 in team "red"']);
    const [fresh] = w.mm.state.liveCommands(w.teams[0]);
    assert.notEqual(fresh!.id, old!.id);
    assert.deepEqual(await w.store.commandForTeam(w.teams[0]!), {
      team_id: w.teams[0],
      command_id: fresh!.id,
      token_hash: hashCommandToken(fresh!.token),
      updated_at: w.store.commands.get(w.teams[0]!)!.updated_at,
    });
  });

  it('when an admin regenerated the token, then sync stores the new hash (the old token stops matching)', async () => {
    const [command] = w.mm.state.liveCommands(w.teams[1]);
    command!.token = 'regenerated-token-0000000000';
    await syncAsBot();
    assert.equal((await w.store.commandForTeam(w.teams[1]!))!.token_hash, hashCommandToken('regenerated-token-0000000000'));
  });

  it('when a team is archived, then its record is forgotten', async () => {
    w.mm.state.teams.get(w.teams[1]!)!.delete_at = Date.now();
    await syncAsBot();
    assert.deepEqual(
      (await w.store.listCommands()).map((c) => c.team_id),
      [w.teams[0]],
    );
  });

  it('when nothing changed, then sync makes no write', async () => {
    w.mm.state.calls.length = 0;
    const report = await syncAsBot();
    assert.deepEqual(report.done, []);
    assert.deepEqual(w.mm.state.writes(), []);
  });

  it('when the loop starts, then it syncs at once and logs what it did without secrets; a failing run is logged and retried', async () => {
    const green = w.mm.state.addTeam('green');
    const lines: string[] = [];
    const logger = {
      info: (m: string, f?: object) => lines.push(m + JSON.stringify(f ?? {})),
      warn: (m: string, f?: object) => lines.push(m + JSON.stringify(f ?? {})),
    };
    const loop = startTeamSync({ store: w.store, mattermostUrl: w.mm.url, rootUrl: ROOT, intervalMs: 60_000, logger });
    try {
      await loop.runNow();
      assert.equal(w.mm.state.liveCommands(green).length, 1);
      w.mm.state.tokens.delete(w.store.installation!.bot_token);
      assert.equal(await loop.runNow(), undefined);
      assert.match(lines.join('\n'), /team sync: created \/oauth2 in team "green"/);
      assert.match(lines.join('\n'), /team sync failed; retrying at the next interval.*"status":401/);
      for (const secret of secretsOf(w)) assert.ok(!lines.join('\n').includes(secret));
    } finally {
      loop.stop();
    }
  });
});
