import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Command } from '@mattermost/types/integrations';
import { commandTokenValid } from '../../../src/hosts/standalone/commands/command_token.js';
import { cli, secretsOf } from './setup_helpers.js';
import { assertAdminsTold, tamperWorld, type TamperWorld } from './tamper_helpers.js';

let t: TamperWorld;
beforeEach(async () => {
  t = await tamperWorld('regular');
});
afterEach(() => t.w.close());

const redCommand = () => t.w.mm.state.liveCommands(t.w.teams[0])[0]!;

describe('what setup says about tampering, and to whom', () => {
  it('when nothing changed, then setup --sync prints nothing, exits 0 and messages nobody', async () => {
    t.w.mm.state.calls.length = 0;
    const run = await cli(t.w, ['--sync']);
    assert.equal(run.code, 0);
    assert.equal(run.out, '');
    assert.deepEqual(t.w.mm.state.writes(), []);
    assert.deepEqual(t.w.mm.state.directPosts, []);
  });

  it('when two teams were tampered with, then each admin gets one message naming both', async () => {
    redCommand().url = 'https://evil.example/red';
    await t.bob.client.deleteCommand(t.ours()!.id);
    const run = await cli(t.w, ['--sync']);
    assert.equal(run.code, 0, run.out);
    assertAdminsTold(
      t,
      '- Team `red`: the /oauth2 command had been changed: URL now `https://evil.example/red`. Restored it.',
      '- Team `bobs`: the /oauth2 command had been deleted. Made a new one.',
    );
    assert.match(run.out, /done: told the system admins by direct message from the bot: @admin, @root/);
  });

  it('when setup --check finds tampering, then it warns and exits 1 but repairs nothing and messages nobody', async () => {
    await t.bob.client.editCommand({ ...(t.ours()! as unknown as Command), url: 'https://evil.example/steal' });
    t.w.mm.state.calls.length = 0;
    const run = await cli(t.w, ['--check']);
    assert.equal(run.code, 1);
    assert.match(
      run.out,
      /WARNING: team "bobs": the \/oauth2 command had been changed: URL now `https:\/\/evil.example\/steal`; left as it is \(setup --check changes nothing\)/,
    );
    assert.deepEqual(t.w.mm.state.writes(), []);
    assert.equal(t.ours()!.url, 'https://evil.example/steal');
    assert.deepEqual(t.w.mm.state.directPosts, []);
  });

  it('when the URL he set holds backticks and a link, then the message quotes it as inline code that cannot link', async () => {
    await t.bob.client.editCommand({ ...(t.ours()! as unknown as Command), url: 'https://evil.example/`](https://phish.example)\n# Click' });
    await cli(t.w, ['--sync']);
    const message = assertAdminsTold(t, 'URL now `https://evil.example/ ](https://phish.example) # Click`.');
    assert.doesNotMatch(message, /\n# Click/);
  });

  it('when there are more system admins than one page holds, then every active one is told', async () => {
    const many = Array.from({ length: 205 }, (_, i) => t.w.mm.state.addUser(`admin${i}`, 'system_user system_admin'));
    await t.bob.client.deleteCommand(t.ours()!.id);
    await cli(t.w, ['--sync']);
    for (const admin of [...many, t.admins.admin, t.admins.root]) assert.equal(t.w.mm.state.messagesTo(admin.id).length, 1, admin.username);
    assert.equal(t.w.mm.state.messagesTo(t.admins.gone.id).length, 0);
  });

  it('when the message or the output is written, then it carries no token or secret', async () => {
    await t.bob.client.regenCommandToken(t.ours()!.id);
    redCommand().delete_at = Date.now();
    const run = await cli(t.w, ['--sync']);
    const text = [run.out, ...t.w.mm.state.directPosts.map((p) => p.message)].join('\n');
    assert.equal(t.w.mm.state.directPosts.length, 2);
    for (const secret of secretsOf(t.w)) assert.ok(!text.includes(secret), 'a secret reached the output or a message');
  });

  it('when restoring a changed URL is refused, then the team keeps no token hash that matches and the check fails', async () => {
    await t.bob.client.editCommand({ ...(t.ours()! as unknown as Command), url: 'https://evil.example/steal' });
    t.w.mm.state.refused.add(`PUT /api/v4/commands/${t.ours()!.id}`);
    const run = await cli(t.w, ['--sync']);
    assert.equal(run.code, 1);
    assert.match(
      run.out,
      /WARNING: team "bobs": the \/oauth2 command had been changed: URL now `https:\/\/evil.example\/steal`; could not restore it \(Mattermost answered 403\)/,
    );
    assert.match(run.out, /done: cleared the stored token hash of team "bobs": its \/oauth2 is not the service's, so requests from it are refused/);
    assert.equal((await t.w.store.commandForTeam(t.bob.team))?.token_hash, '');
    assert.equal(await commandTokenValid(t.w.store, t.bob.team, t.ours()!.token), false, 'requests sent to his URL cannot be replayed to the service');
  });

  it('when renewing a regenerated token is refused, then his token stays refused, also after later runs, which retry the repair instead of adopting his token', async () => {
    const { token: held } = await t.bob.client.regenCommandToken(t.ours()!.id);
    const regen = `PUT /api/v4/commands/${t.ours()!.id}/regen_token`;
    t.w.mm.state.refused.add(regen);
    const run = await cli(t.w, ['--sync']);
    assert.equal(run.code, 1);
    assert.match(run.out, /regenerated by someone else; could not make a new token \(Mattermost answered 403\); commands typed in this team are refused/);
    assert.equal(await commandTokenValid(t.w.store, t.bob.team, held), false);
    const again = await cli(t.w, ['--sync']);
    assert.equal(again.code, 1);
    assert.equal(await commandTokenValid(t.w.store, t.bob.team, held), false, 'the next run does not adopt the token he holds');
    t.w.mm.state.refused.delete(regen);
    const repaired = await cli(t.w, ['--sync']);
    assert.equal(repaired.code, 0, repaired.out);
    assert.match(repaired.out, /WARNING: team "bobs": the token of the \/oauth2 command was not trusted since an earlier repair failed; made a new token/);
    assert.equal(await commandTokenValid(t.w.store, t.bob.team, held), false);
    assert.equal(await commandTokenValid(t.w.store, t.bob.team, t.ours()!.token), true);
  });

  it('when the bot cannot send the message, then setup says so and exits 1, the repairs made all the same', async () => {
    await t.bob.client.deleteCommand(t.ours()!.id);
    t.w.mm.state.refused.add('POST /api/v4/posts');
    const run = await cli(t.w, ['--sync']);
    assert.equal(run.code, 1);
    assert.ok(t.ours());
    assert.match(run.out, /PROBLEM: the direct message to the system admins failed \(@admin: [^)]*403/);
  });
});
