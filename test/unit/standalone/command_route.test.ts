import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { UserConnections } from '../../../src/core/ports.js';
import { registerSubcommand } from '../../../src/hosts/standalone/commands/table.js';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { hashValue } from '../../../src/hosts/standalone/secrets.js';
import { mmId, type FakeUser } from '../../support/standalone/fake_mattermost.js';
import { commandPlace, slashCommandForm } from '../../support/standalone/slash_command.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

const PROVIDER = {
  display_name: 'Test <OIDC>',
  preset: 'oidc' as const,
  issuer: 'http://127.0.0.1:9',
  client_id: 'c',
  auth: 'client_secret_post' as const,
  scopes: ['openid'],
};

describe('standalone POST /command', () => {
  let world: StandaloneWorld;
  let alice: FakeUser;
  before(async () => {
    world = await startStandaloneWorld();
    alice = world.mm.addUser('alice');
  });
  after(() => world.close());
  beforeEach(async () => {
    world.stores.oneTime.rows.clear();
    world.stores.providers.rows.clear();
    world.mm.dialogs.length = 0;
    await world.addProvider({ id: 'one', ...PROVIDER }, 'secret-one');
  });

  for (const [name, overrides] of [
    ['no token', { token: undefined }],
    ['an empty token', { token: '' }],
    ['a wrong token', { token: mmId() }],
    ['an unknown team and no signed trigger', { team_id: mmId(), trigger_id: '' }],
    ['no team', { team_id: undefined }],
  ] as const) {
    it(`when the request has ${name}, then it answers 401 and creates no link`, async () => {
      const response = await world.command(alice, 'connect one', overrides);
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { text: string }).text, /Unauthorized/);
      assert.equal(world.stores.oneTime.rows.size, 0);
    });
  }

  it("when the token is another team's, then it answers 401 and creates no link", async () => {
    const otherTeam = mmId();
    const otherToken = mmId();
    await world.stores.installation.saveCommand({ team_id: otherTeam, command_id: mmId(), token_hash: hashValue(otherToken), updated_at: 0 });
    const response = await world.command(alice, 'connect one', { token: otherToken });
    assert.equal(response.status, 401);
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  it('when the token is right, then connect answers an ephemeral link bound to the user', async () => {
    const response = await world.command(alice, 'connect one');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as { response_type: string; text: string };
    assert.equal(body.response_type, 'ephemeral');
    const link = /\((http:[^)]+)\)/.exec(body.text)?.[1] ?? '';
    assert.ok(link.startsWith(`${world.rootUrl}/standalone/connect?l=`), body.text);
    const record = world.stores.oneTime.rows.get(hashValue(new URL(link).searchParams.get('l') ?? ''));
    assert.equal(record?.user_id, alice.id);
    assert.equal(record?.provider_id, 'one');
    assert.equal(record?.purpose, 'link');
  });

  it('when the body is larger than 64 KiB, then it answers 413 and nothing runs', async () => {
    const response = await world.command(alice, `connect one ${'x'.repeat(70 * 1024)}`);
    assert.equal(response.status, 413);
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  describe('the body as Mattermost sends it, and what it does not send', () => {
    const post = (body: string | Blob, headers: Record<string, string>) =>
      fetch(`${world.rootUrl}/standalone/command`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    const signedForm = () =>
      slashCommandForm(commandPlace(world.mm, { commandToken: world.commandToken, teamId: world.teamId, channelId: mmId() }), alice, 'connect one');

    it('when a field comes twice (user_mentions), then the command runs as it would without the repeat', async () => {
      const form = signedForm();
      form.append('user_mentions', 'alice');
      form.append('user_mentions', 'bob');
      const response = await post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' });
      assert.equal(response.status, 200);
      assert.match(((await response.json()) as { text: string }).text, /standalone\/connect\?l=/);
    });

    it('when the body is in another charset or compressed, then it answers 400 and nothing runs', async () => {
      const latin1 = await post(signedForm().toString(), { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' });
      assert.equal(latin1.status, 400);
      assert.match(((await latin1.json()) as { text: string }).text, /could not be read/);
      const gzipped = await post(new Blob([gzipSync(signedForm().toString())]), { 'content-encoding': 'gzip' });
      assert.equal(gzipped.status, 400);
      assert.equal(world.stores.oneTime.rows.size, 0);
    });

    it('when the body has more than 200 fields, then it answers 413 and nothing runs', async () => {
      const form = signedForm();
      for (let i = 0; i < 200; i += 1) form.append(`f${i}`, '1');
      const response = await post(form.toString(), {});
      assert.equal(response.status, 413);
      assert.equal(world.stores.oneTime.rows.size, 0);
    });
  });

  it('when a field is malformed after a valid token and trigger, then a clear ephemeral text answers and nothing runs', async () => {
    const response = await world.command(alice, 'connect one', { channel_id: 'not-an-id' });
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { text: string }).text, /malformed \(channel_id/);
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  it('when the text is empty or help, then the subcommands are listed', async () => {
    for (const text of ['', 'help', 'HELP']) {
      const body = (await (await world.command(alice, text)).json()) as { text: string };
      assert.match(body.text, /`\/oauth2 connect \[provider\]`/);
      assert.match(body.text, /`\/oauth2 help`/);
    }
  });

  it('when the subcommand is unknown, then the answer says so and lists the known ones', async () => {
    const body = (await (await world.command(alice, 'frobnicate `x`')).json()) as { text: string };
    assert.match(body.text, /Unknown subcommand `frobnicate`.*`connect`/);
  });

  describe("the user's view read with the admission", () => {
    it('when status runs, then it answers from the view its admission read, asked only for that command and that user; help asks for none', async () => {
      const { deps } = world;
      const asked: Array<{ withView: boolean | undefined; user: string }> = [];
      const storageReads: string[] = [];
      const realAdmit = deps.admission.admit.bind(deps.admission);
      const realConnections = deps.connections;
      const provider = (await deps.providers.get('one'))!;
      const readView: UserConnections = {
        providers: [provider],
        connections: { one: { label: 'read-with-admission', sub: 's', since: 1 } },
        opened: async () => undefined,
      };
      deps.admission = {
        admit: async (teamId, tokenHash, trigger, withView) => {
          asked.push({ withView, user: trigger.user_id });
          const admitted = await realAdmit(teamId, tokenHash, trigger, withView);
          return admitted.claimed && withView ? { ...admitted, view: readView } : admitted;
        },
      };
      deps.connections = Object.assign(Object.create(realConnections) as typeof realConnections, {
        withProviders: async (userId: string) => {
          storageReads.push(userId);
          return { providers: [provider], connections: {}, opened: async () => undefined };
        },
      });
      try {
        const status = (await (await world.command(alice, 'status')).json()) as { text: string };
        assert.match(status.text, /connected as \*\*read-with-admission\*\*/);
        assert.deepEqual(storageReads, []);
        await world.command(alice, 'help');
        assert.deepEqual(asked, [
          { withView: true, user: alice.id },
          { withView: false, user: alice.id },
        ]);
      } finally {
        deps.admission = { admit: realAdmit };
        deps.connections = realConnections;
      }
    });
  });

  it('when commands run, then each is logged once with its subcommand name and never its arguments', async () => {
    const before = world.logs.length;
    await world.command(alice, 'connect one');
    await world.command(alice, 'gho_pastedSecretValue123 more');
    const lines = world.logs.slice(before).filter((l) => l.includes('"command"'));
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /"subcommand":"connect"/);
    assert.match(lines[0]!, new RegExp(`"user_id":"${alice.id}"`));
    assert.match(lines[1]!, /"subcommand":"unknown"/);
    assert.doesNotMatch(world.logs.slice(before).join('\n'), /pastedSecretValue|connect one/);
  });

  it('when connect names an unknown provider, then the registered ones are listed', async () => {
    const body = (await (await world.command(alice, 'connect nope')).json()) as { text: string };
    assert.match(body.text, /`nope` is not registered\. Registered: `one`/);
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  it('when no provider is registered, then connect says how to add one', async () => {
    world.stores.providers.rows.clear();
    const body = (await (await world.command(alice, 'connect')).json()) as { text: string };
    assert.match(body.text, /No OAuth2 providers are registered yet/);
  });

  it('when several providers exist and none is named, then the choose dialog opens for that trigger', async () => {
    await world.addProvider({ id: 'two', ...PROVIDER }, 'secret-two');
    const trigger = world.mm.signer.sign(alice.id);
    const response = await world.command(alice, 'connect', { trigger_id: trigger });
    assert.deepEqual(await response.json(), {});
    assert.equal(world.mm.dialogs.length, 1);
    assert.equal(world.mm.dialogs[0]?.trigger_id, trigger);
    assert.equal(world.mm.dialogs[0]?.url, `${world.rootUrl}/standalone/dialog`);
    assert.equal(world.mm.dialogs[0]?.dialog.callback_id, 'connect.choose');
    assert.equal(world.stores.oneTime.rows.size, 0);
  });

  it('when several providers exist and there is no trigger, then nothing runs: the request is refused', async () => {
    await world.addProvider({ id: 'two', ...PROVIDER }, 'secret-two');
    const response = await world.command(alice, 'connect', { trigger_id: '' });
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { text: string }).text, /carries no trigger id signed by Mattermost/);
    assert.equal(world.mm.dialogs.length, 0);
  });
});

describe('standalone subcommand table', () => {
  it('when a registered handler throws, then the user gets a plain text without the error, and the log has it', async () => {
    const world = await startStandaloneWorld();
    try {
      const tables = createServiceTables();
      registerSubcommand(tables.subcommands, 'status', {
        handler: async () => {
          throw new Error('db exploded at /secret/path');
        },
      });
      const { createStandaloneRouter } = await import('../../../src/hosts/standalone/http/router.js');
      const express = (await import('express')).default;
      const app = express();
      app.use('/standalone', createStandaloneRouter(world.deps, tables));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      const user = world.mm.addUser('carol');
      const form = new URLSearchParams({
        token: world.commandToken,
        team_id: world.teamId,
        channel_id: mmId(),
        user_id: user.id,
        command: '/oauth2',
        text: 'status',
        trigger_id: world.mm.signer.sign(user.id),
      });
      const response = await fetch(`http://127.0.0.1:${port}/standalone/command`, { method: 'POST', body: form });
      server.close();
      assert.equal(response.status, 200);
      const text = ((await response.json()) as { text: string }).text;
      assert.match(text, /Something went wrong/);
      assert.doesNotMatch(text, /exploded|\/secret\/path|\n/);
      assert.ok(world.logs.some((l) => l.includes('db exploded')));
      assert.throws(() => registerSubcommand(tables.subcommands, 'Bad Name', { handler: async () => ({}) }));
    } finally {
      await world.close();
    }
  });
});
