// The README's standalone quick start, followed as written on a fresh
// Mattermost server (Mattermost's own defaults, no Apps plugin): its server
// settings block is the server's environment, the manage_oauth grant and the
// personal access token are made as it says, the service runs with its
// exported settings and `npm start`, setup runs as `npx oauth2-connect setup`,
// an admin registers a provider through the `/oauth2 provider add` dialog, and
// a user's `/oauth2 connect` link ends connected in Chromium. What the test
// adds to the README's words, and why: PORT (port 4000 may be taken here),
// APP_DATA_DIR (a temp folder, not the checkout's .data), and
// APP_ALLOW_PRIVATE_NETWORK (the provider is oidc-provider on 127.0.0.1); it
// skips `npm install` (this checkout is installed already).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { connectInBrowser, launchBrowser } from '../support/browser.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { DialogForm } from '../scenarios/hosts/standalone_dialog.js';
import { DialogInbox } from '../scenarios/hosts/standalone_real.js';
import { ensureBuilt } from './harness/build.js';
import * as mm from './harness/mm_api.js';
import { freePort, startMattermost, type MattermostServer } from './harness/servers.js';
import { readQuickStart, substitute, type Substitutes } from './readme_quick_start.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROVIDER = 'idp';
const LINK = /\]\((https?:\/\/[^)\s]+\/standalone\/connect\?[^)\s]+)\)/;

describe("the README's standalone quick start on a fresh Mattermost", { timeout: 15 * 60_000 }, () => {
  const quick = readQuickStart();
  const readmeRoot = quick.serviceEnv.APP_ROOT_URL ?? '';
  let server: MattermostServer;
  let subs: Substitutes;
  let serviceEnv: Record<string, string>;
  let service: ChildProcess | undefined;
  let serviceLog = '';
  let admin: mm.Session;
  let alice: mm.Session;
  let team: { id: string; name: string };
  let channelId: string;
  let op: StartedOidcProvider;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'readme-quick-start-'));

  /** A slash command typed by `user` in the team's town square, and the dialog it opened, if any. */
  async function type(user: mm.Session, inbox: DialogInbox | undefined, command: string) {
    const answer = await user.client.json<{ text?: string; trigger_id?: string }>('POST', '/api/v4/commands/execute', {
      command,
      channel_id: channelId,
      team_id: team.id,
    });
    const opened = inbox && answer.trigger_id ? await inbox.take(answer.trigger_id, answer.text ? 0 : 5000) : undefined;
    return { text: answer.text ?? '', opened };
  }

  before(async () => {
    const port = await freePort();
    subs = {
      mattermostUrl: '',
      rootUrl: `http://127.0.0.1:${port}`,
      encryptionKey: randomBytes(32).toString('base64'),
      adminToken: '',
    };
    server = await startMattermost(await ensureBuilt(), 'quickstart', {
      fresh: (url) => substitute(quick.serverSettings, readmeRoot, { ...subs, mattermostUrl: url }),
    });
    subs.mattermostUrl = server.url;
    serviceEnv = { ...substitute(quick.serviceEnv, readmeRoot, subs), PORT: String(port), APP_DATA_DIR: dataDir, APP_ALLOW_PRIVATE_NETWORK: 'true' };
    op = await startOidcProvider({ redirectUris: [`${subs.rootUrl}/standalone/complete/${PROVIDER}`] });
    browser = await launchBrowser();
  });

  after(async () => {
    if (service?.pid !== undefined && service.exitCode === null) process.kill(-service.pid, 'SIGTERM');
    await browser?.close();
    await op?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the quick start is read, then it has the server settings, the service, setup, and the commands an admin and a user type', () => {
    assert.equal(readmeRoot, 'https://connect.example.com');
    assert.deepEqual(quick.serviceCommands, ['npm install', 'npm start']);
    assert.deepEqual(quick.setupCommand, ['npx', 'oauth2-connect', 'setup']);
    assert.deepEqual(Object.keys(quick.setupEnv), ['MM_ADMIN_TOKEN']);
    for (const said of ['`manage_oauth`', 'personal access token', '`/oauth2 provider add`', '`/oauth2 connect`', '<APP_ROOT_URL>/standalone/complete/<id>'])
      assert.ok(quick.text.includes(said), `the quick start says ${said}`);
  });

  it("when the admin follows step 1 (the server's first user, the manage_oauth grant, a personal access token), then the server takes it", async () => {
    await mm.createUser(server.directUrl, 'admin');
    admin = await mm.login(server.directUrl, 'admin');
    const aliceUser = await mm.createUser(admin.client, 'alice');
    alice = await mm.login(server.directUrl, 'alice');
    team = await mm.createTeam(admin.client, 'alpha');
    await mm.addToTeam(admin.client, team.id, aliceUser.id);
    channelId = (await admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`)).id;
    // The README: grant manage_oauth to system_admin where the build gives it to no role (this one does not).
    await mm.ensureRolePermission(admin.client, 'system_admin', 'manage_oauth');
    // A personal access token: refused unless EnableUserAccessTokens came from the settings block.
    const token = await admin.client.json<{ token: string }>('POST', `/api/v4/users/${admin.user.id}/tokens`, { description: 'oauth2-connect setup' });
    subs.adminToken = token.token;
  });

  it('when the service is started with the exported settings and npm start, then it listens and serves the standalone host only', async () => {
    const start = quick.serviceCommands.slice(1);
    assert.deepEqual(start, ['npm start']);
    service = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...serviceEnv },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (d) => (serviceLog += d));
    service.stderr!.on('data', (d) => (serviceLog += d));
    // npm start builds first: allow for tsc on a busy machine.
    for (let i = 0; i < 600 && !serviceLog.includes('"listening"') && service.exitCode === null; i++) await new Promise((r) => setTimeout(r, 500));
    const line = serviceLog.split('\n').find((l) => l.includes('"listening"'));
    assert.ok(line, `the service did not start:\n${serviceLog}`);
    assert.deepEqual((JSON.parse(line) as { hosts: string[] }).hosts, ['standalone']);
    assert.doesNotMatch(serviceLog, /APP_JWT_SECRET/);
  });

  it('when setup runs as step 3 says, then it prints the storage and does everything on the first run', () => {
    const [command, ...args] = quick.setupCommand;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...serviceEnv, ...substitute(quick.setupEnv, readmeRoot, subs) };
    const run = spawnSync(command!, args, { cwd: ROOT, env, encoding: 'utf8' });
    const out = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, out);
    assert.match(out, new RegExp(`Storage: SQLite file ${dataDir}/oauth2-connect\\.sqlite`));
    assert.match(out, /no Apps plugin is active on this server/);
    assert.match(out.trim().split('\n').at(-1) ?? '', /^Done\.$/);
    assert.ok(!out.includes(subs.adminToken), 'setup never prints the admin token');
  });

  it('then the service is ready (/readyz 200: database, schema, installation, Mattermost)', async () => {
    const ready = await fetch(`${subs.rootUrl}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
  });

  it('when the admin types /oauth2 provider add, then the dialog shows the redirect URI the README names, and saving registers the provider', async () => {
    const inbox = await DialogInbox.connect(server.directUrl, admin.token);
    try {
      const { opened } = await type(admin, inbox, '/oauth2 provider add');
      assert.ok(opened, 'the add dialog opened in the admin client');
      const transport = {
        submit: (url: string, body: object) =>
          admin.client.json<object>('POST', '/api/v4/actions/dialogs/submit', { ...body, url, channel_id: channelId, team_id: team.id }),
        directMessages: async () => [],
      };
      const form = new DialogForm(opened, transport);
      await form.fill({ preset: 'oidc' });
      const { client_id, client_secret } = op.clients.post;
      await form.fill({ id: PROVIDER, display_name: 'Test IdP', issuer: op.issuer, client_id, client_secret: client_secret!, auth: 'client_secret_post' });
      assert.ok(form.notes.includes(`${subs.rootUrl}/standalone/complete/${PROVIDER}`), form.notes);
      const saved = await form.submit();
      assert.equal(saved.kind, 'text', JSON.stringify(saved));
    } finally {
      inbox.close();
    }
    assert.match((await type(alice, undefined, '/oauth2 providers')).text, /Test IdP/);
  });

  it('when alice types /oauth2 connect and follows the link, then she signs in with Mattermost and at the provider, and she is connected', async () => {
    const { text } = await type(alice, undefined, '/oauth2 connect');
    const link = LINK.exec(text)?.[1];
    assert.ok(link?.startsWith(`${subs.rootUrl}/standalone/connect?`), text);
    const cookies = ['MMAUTHTOKEN', 'MMUSERID', 'MMCSRF'].map((name) => ({ name, value: alice.cookies[name] ?? '', url: server.url }));
    const page = await connectInBrowser(browser, cookies, link!, 'alice-op', op.issuer);
    assert.match(page.text, /Connected as alice-op/, `${page.url}\n${page.text}`);
    assert.match((await type(alice, undefined, '/oauth2 status')).text, /alice-op/);
  });
});
