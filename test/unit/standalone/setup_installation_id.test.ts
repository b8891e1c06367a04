import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BOT_USERNAME, INSTALLATION_ID_PROP } from '../../../src/hosts/standalone/setup/names.js';
import { createMattermostClient } from '../../../src/hosts/standalone/client4.js';
import { MemoryInstallationStore } from '../../support/memory_installation_store.js';
import { cli, setupWorld, type SetupWorld } from './setup_helpers.js';

let w: SetupWorld;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.close());

const bot = () => [...w.mm.state.users.values()].find((u) => u.username === BOT_USERNAME)!;
const named = () => bot().props?.[INSTALLATION_ID_PROP];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The live installation's bot token and sign-in secret, and whether Mattermost still accepts them. */
async function liveSecrets() {
  const inst = w.store.installation!;
  const me = await createMattermostClient(w.mm.url, inst.bot_token).getMe();
  return { botUserId: me.id, token: inst.bot_token, secret: w.mm.state.oauthApps.get(inst.oauth_client_id)!.client_secret };
}

const REFUSAL = (id: string, holds: string) =>
  `Mattermost names installation ${id} (on @${BOT_USERNAME}), but the storage opened (the other store) holds ${holds}: it is not the running service's storage`;

describe('the installation id: setup against another storage leaves the running service alone', () => {
  it('when setup runs first, then the store and the bot record carry one random id, and a later run keeps it', async () => {
    await w.run();
    const id = w.store.installation!.installation_id!;
    assert.match(id, UUID);
    assert.equal(named(), id);
    w.mm.state.calls.length = 0;
    const again = await w.run();
    assert.deepEqual(again.done, []);
    assert.equal(w.store.installation!.installation_id, id);
    assert.ok(again.fine.includes(`@${BOT_USERNAME} names installation ${id}`));
  });

  it('when the opened storage holds no installation but Mattermost names one, then apply and check refuse, and the live token and secret still work', async () => {
    await w.run();
    const before = await liveSecrets();
    const id = named() as string;
    const empty = new MemoryInstallationStore();
    w.mm.state.calls.length = 0;
    for (const mode of ['apply', 'check'] as const) {
      const report = await w.run(mode, { store: empty });
      assert.equal(report.problems.length, 1, report.format());
      assert.ok(report.problems[0]!.what.startsWith(REFUSAL(id, 'no installation')), report.problems[0]!.what);
      assert.match(report.problems[0]!.fix, /point DATABASE_URL \(PostgreSQL\) or APP_DATA_DIR \(SQLite\) at the storage the running service uses/);
      assert.match(report.problems[0]!.fix, /run setup with --force/);
      assert.deepEqual(report.done, []);
    }
    assert.deepEqual(w.mm.state.writes(), [], 'nothing was written in Mattermost');
    assert.equal(empty.installation, undefined);
    assert.deepEqual(await liveSecrets(), before);
  });

  it('when the opened storage holds another installation, then setup refuses and names both ids', async () => {
    await w.run();
    const other = new MemoryInstallationStore();
    other.installation = { ...w.store.installation!, installation_id: 'other-installation' };
    const report = await w.run('apply', { store: other });
    assert.ok(report.problems[0]?.what.startsWith(REFUSAL(named() as string, 'installation other-installation')), report.format());
    assert.equal(other.installation.installation_id, 'other-installation');
  });

  it('when --remove runs on another storage, then it refuses and deletes nothing', async () => {
    await w.run();
    const before = await liveSecrets();
    const report = await w.run('remove', { store: new MemoryInstallationStore() });
    assert.ok(report.problems[0]?.what.startsWith(REFUSAL(named() as string, 'no installation')), report.format());
    assert.equal(w.mm.state.liveCommands().length, 2);
    assert.deepEqual(await liveSecrets(), before);
  });

  it('when --force is given on another storage, then it takes over: a new id, bot token and secret, the old token revoked', async () => {
    await w.run();
    const before = await liveSecrets();
    const oldId = named();
    const taker = new MemoryInstallationStore();
    const report = await w.run('apply', { store: taker, force: true });
    assert.deepEqual(report.problems, [], report.format());
    assert.match(
      report.done.join('\n'),
      new RegExp(`--force: the storage opened \\(the other store, which held no installation\\) takes over installation ${oldId}`),
    );
    const taken = taker.installation!;
    assert.match(taken.installation_id!, UUID);
    assert.notEqual(taken.installation_id, oldId);
    assert.equal(named(), taken.installation_id);
    assert.notEqual(taken.bot_token, before.token);
    assert.notEqual(taken.oauth_client_secret, before.secret);
    assert.equal(w.mm.state.oauthApps.get(taken.oauth_client_id)!.client_secret, taken.oauth_client_secret);
    assert.equal(w.mm.state.tokens.has(before.token), false, "the old storage's token was revoked");
  });

  it('when an installation from before the id (none stored, none on the bot) runs setup, then it keeps its token and records an id on both sides', async () => {
    await w.run();
    const before = await liveSecrets();
    delete w.store.installation!.installation_id;
    const { [INSTALLATION_ID_PROP]: _dropped, ...props } = bot().props!;
    bot().props = props;
    const report = await w.run();
    assert.deepEqual(report.problems, []);
    assert.match(w.store.installation!.installation_id!, UUID);
    assert.equal(named(), w.store.installation!.installation_id);
    assert.deepEqual(await liveSecrets(), before);
  });

  it('when --remove runs on the right storage, then the bot names no installation and a later setup anywhere starts a new one', async () => {
    w.mm.state.addUser('second-admin', 'system_user system_admin');
    await w.run();
    await w.run('remove');
    assert.equal(named(), undefined);
    const report = await w.run('apply', { store: new MemoryInstallationStore() });
    assert.deepEqual(report.problems, [], report.format());
  });
});

describe('the command line says which storage it opened', () => {
  it('when DATABASE_URL is set, then it prints PostgreSQL and the URL with the password masked, and a refusal exits 1', async () => {
    await w.run();
    const env = { DATABASE_URL: 'postgres://svc:hunter2-secret@db.example:5432/oauth2' };
    const { code, out } = await cli(w, [], env, undefined, new MemoryInstallationStore());
    assert.equal(code, 1);
    assert.match(out, /Storage: PostgreSQL postgres:\/\/svc:\*\*\*\*@db\.example:5432\/oauth2/);
    assert.doesNotMatch(out, /hunter2/);
    assert.match(out, /holds no installation: it is not the running service's storage/);
    assert.match(out, /nothing was changed/);
  });

  it('when no DATABASE_URL is set, then it prints the SQLite file under APP_DATA_DIR', async () => {
    const { out } = await cli(w, ['--check'], { APP_DATA_DIR: '/srv/oauth2-data' });
    assert.match(out, /Storage: SQLite file \/srv\/oauth2-data\/\S+/);
  });

  it('when --force is given with --check, then usage and exit 2 (a check changes nothing)', async () => {
    const { code, out } = await cli(w, ['--check', '--force']);
    assert.equal(code, 2);
    assert.match(out, /--force {6}go on when Mattermost names an installation/);
    assert.deepEqual(w.mm.state.calls, []);
  });
});
