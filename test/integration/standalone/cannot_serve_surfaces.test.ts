/**
 * When the service cannot serve, each surface a user meets says which cause it
 * is, with the text /readyz's check names (cannot_serve.ts): the command's
 * answer, a dialog's submission, the connect page, and the webapp panel (its
 * answer in the command's props, where the panel reads it). The real service
 * on SQLite behind the fake Mattermost, one cause at a time: the installation
 * gone from the storage, Mattermost not answering, the database's tables gone.
 * (The database out of reach: db_degrade.test.ts.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config/index.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { CANNOT_SERVE_TEXT } from '../../../src/hosts/standalone/cannot_serve.js';
import { signDialogState } from '../../../src/hosts/standalone/dialogs/state.js';
import { PANEL_PROP } from '../../../src/hosts/standalone/panel/panel_commands.js';
import { createConnectLink } from '../../../src/hosts/standalone/signin/links.js';
import { startFakeMattermost, type FakeMattermost, type FakeUser } from '../../support/standalone/fake_mattermost.js';
import { commandPlace, installForFake, slashCommandForm } from '../../support/standalone/slash_command.js';

const CHANNEL = 'c'.repeat(26);

describe('every surface says why the service cannot serve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cannot-serve-'));
  let mm: FakeMattermost;
  let service: RunningService;
  let server: Server;
  let url: string;
  let place: ReturnType<typeof commandPlace>;
  let admin: FakeUser;
  let alice: FakeUser;

  before(async () => {
    mm = await startFakeMattermost('http://127.0.0.1:9/standalone/signin/callback');
    const env = { APP_HOSTS: 'standalone', APP_MATTERMOST_URL: mm.url, APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_DATA_DIR: dataDir };
    service = await startService(loadConfig(env), { logger: createMemoryLogger() });
    server = await new Promise<Server>((resolve) => {
      const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { teamId, commandToken } = await installForFake(service.standalone!.repositories.installation, mm, Date.now());
    place = commandPlace(mm, { commandToken, teamId, channelId: CHANNEL });
    admin = mm.addUser('admin', 'system_user system_admin');
    alice = mm.addUser('alice');
    const now = Date.now();
    const provider = { id: 'idp', display_name: 'IdP', preset: 'oidc' as const, issuer: 'https://idp.example.com', client_id: 'c1', auth: 'none' as const };
    await service.standalone!.repositories.providers.save({ ...provider, scopes: ['openid'], created_at: now, updated_at: now });
  });

  after(async () => {
    server?.close();
    await service?.close();
    await mm?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const deps = () => service.standalone!.deps!;

  async function command(user: FakeUser, text: string): Promise<{ text: string; props?: Record<string, { type: string; text?: string }> }> {
    const res = await fetch(`${url}/standalone/command`, { method: 'POST', body: slashCommandForm(place, user, text) });
    assert.equal(res.status, 200);
    return (await res.json()) as { text: string; props?: Record<string, { type: string; text?: string }> };
  }

  /** The admin saves the add dialog (its state signed for them, as the service opens it). */
  async function dialog(): Promise<string> {
    const state = signDialogState(deps().dialogKey, { user_id: admin.id, purpose: 'provider.add', target: '' }, Date.now());
    const submission = { preset: 'oidc', id: 'other', display_name: 'Other', issuer: 'https://other.example.com', client_id: 'c2', auth: 'none' };
    const body = { type: 'dialog_submission', callback_id: 'provider.add', state, user_id: admin.id, submission, cancelled: false };
    const res = await fetch(`${url}/standalone/dialog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json()) as { error?: string; errors?: Record<string, string> };
    return answer.error ?? JSON.stringify(answer);
  }

  /** Alice's connect page (a link made while the service could make one), at the port the test listens on. */
  async function page(link: string): Promise<{ status: number; text: string }> {
    const { pathname, search } = new URL(link);
    const res = await fetch(`${url}${pathname}${search}`, { redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  }

  const panel = async (user: FakeUser) => (await command(user, '__panel')).props?.[PANEL_PROP];

  /** HTML escapes the page's text. */
  const inPage = (text: string) => text.replaceAll("'", '&#39;').replaceAll('"', '&quot;').split('(')[0]!;

  it('when the storage holds no installation, then the admin command, the dialog and the connect page say so; the panel still serves', async () => {
    const link = await createConnectLink(deps(), alice.id, 'idp');
    const installation = await service.standalone!.repositories.installation.getInstallation();
    await service.standalone!.database.db.deleteFrom('installation').execute();
    try {
      const text = CANNOT_SERVE_TEXT.not_installed;
      assert.equal((await command(admin, 'provider add')).text, text);
      assert.equal(await dialog(), text);
      const shown = await page(link);
      assert.equal(shown.status, 503);
      assert.ok(shown.text.includes(inPage(text)), shown.text);
      // The panel needs no installation for its list (admin rights only shape what it shows).
      assert.equal((await panel(alice))?.type, 'ok');
    } finally {
      await service.standalone!.repositories.installation.saveInstallation(installation!);
    }
  });

  it('when Mattermost does not answer, then the admin command and the dialog say Mattermost cannot be reached', async () => {
    await mm.close();
    const text = CANNOT_SERVE_TEXT.mattermost_unreachable;
    assert.equal((await command(admin, 'provider add')).text, text);
    assert.equal(await dialog(), text);
  });

  it('when the database has no tables, then the command, the panel (in its props), the dialog and the connect page say so', async () => {
    const link = await createConnectLink(deps(), alice.id, 'idp');
    const db = service.standalone!.database.db;
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name } of tables.rows) await sql`drop table ${sql.table(name)}`.execute(db);
    const text = CANNOT_SERVE_TEXT.schema_missing;
    assert.equal((await command(alice, 'status')).text, text);
    assert.deepEqual(await panel(alice), { type: 'error', text });
    assert.equal(await dialog(), text);
    const shown = await page(link);
    assert.equal(shown.status, 503);
    assert.ok(shown.text.includes(inPage(text)), shown.text);
  });
});
