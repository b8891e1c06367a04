/**
 * The provider list each service instance keeps: a change made through one
 * instance (or written to the database by anything else) is what the other
 * instance's next command answers with. On PostgreSQL two instances share
 * the database as replicas do; SQLite has one instance per file, which sees
 * its own changes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config/index.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { type FakeMattermost, type FakeUser, mmId, startFakeMattermost } from '../../support/standalone/fake_mattermost.js';
import { commandPlace, installForFake, slashCommandForm } from '../../support/standalone/slash_command.js';
import { BACKENDS, createScratch, type Scratch } from '../../support/standalone_db.js';

interface Instance {
  service: RunningService;
  url: string;
  server: Server;
}

const provider = (id: string, display_name: string): StoredProvider => ({
  id,
  display_name,
  preset: 'oidc',
  issuer: `https://${id}.example.com`,
  client_id: 'client',
  auth: 'none',
  scopes: ['openid'],
  created_at: 1,
  updated_at: Date.now(),
});

for (const backend of BACKENDS) {
  describe(`the provider list kept by each service instance [${backend}]`, () => {
    let scratch: Scratch;
    let mm: FakeMattermost;
    let one: Instance;
    let other: Instance;
    let alice: FakeUser;
    let command: (instance: Instance, text: string) => Promise<string>;

    async function start(): Promise<Instance> {
      const env: Record<string, string> = {
        APP_HOSTS: 'standalone',
        APP_ROOT_URL: 'http://127.0.0.1:9',
        APP_MATTERMOST_URL: mm.url,
        APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        ...(scratch.settings.kind === 'postgres' ? { DATABASE_URL: scratch.settings.url } : { APP_DATA_DIR: dirname(scratch.settings.file) }),
      };
      const service = await startService(loadConfig(env), { logger: createMemoryLogger() });
      const server = await new Promise<Server>((resolve) => {
        const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
      });
      return { service, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }

    before(async () => {
      scratch = await createScratch(backend);
      mm = await startFakeMattermost('http://127.0.0.1:9/standalone/signin/callback');
      one = await start();
      other = backend === 'postgres' ? await start() : one;
      const place = { ...(await installForFake(one.service.standalone!.repositories.installation, mm, Date.now())), channelId: mmId() };
      alice = mm.addUser('alice');
      command = async (instance, text) => {
        const body = slashCommandForm(commandPlace(mm, place), alice, text);
        const res = await fetch(`${instance.url}/standalone/command`, { method: 'POST', body });
        assert.equal(res.status, 200);
        return ((await res.json()) as { text?: string }).text ?? '';
      };
    });
    after(async () => {
      for (const instance of new Set([one, other])) {
        instance.server.close();
        await instance.service.close();
      }
      await mm.close();
      await scratch.dispose();
    });

    const providersOf = (instance: Instance) => instance.service.standalone!.repositories.providers;

    it('when a provider is added, renamed and removed through one instance, then the other’s next command answers with the change', async () => {
      await providersOf(one).save(provider('corp', 'Corp SSO'));
      assert.match(await command(other, 'providers'), /\*\*Corp SSO\*\*/);
      assert.match(await command(other, 'status'), /\*\*Corp SSO\*\* \(`corp`\): not connected/);

      await providersOf(one).save(provider('corp', 'Corp Login'));
      assert.match(await command(other, 'status'), /\*\*Corp Login\*\* \(`corp`\)/);
      assert.match(await command(other, 'providers'), /\*\*Corp Login\*\*/);

      await providersOf(one).save(provider('git', 'Git Forge'));
      assert.match(await command(other, 'connect git'), /\[Connect your Git Forge account\]/);

      assert.equal(await providersOf(one).remove('corp'), true);
      assert.match(await command(other, 'connect corp'), /Provider `corp` is not registered\. Registered: `git`\./);
      assert.doesNotMatch(await command(other, 'status'), /corp/);
    });

    it('when a provider row is changed in the database by something else (plain SQL), then the next command answers with it', async () => {
      assert.match(await command(other, 'providers'), /\*\*Git Forge\*\*/);
      const record = JSON.stringify(provider('git', 'Git Renamed'));
      await sql`update providers set record = ${record} where id = 'git'`.execute(one.service.standalone!.database.db);
      assert.match(await command(other, 'providers'), /\*\*Git Renamed\*\*/);
      assert.match(await command(one, 'status'), /\*\*Git Renamed\*\* \(`git`\)/);
    });

    it('when nothing changed, then the list is the one kept (not read again), and a caller cannot change it', async () => {
      const first = await providersOf(other).list();
      assert.equal(await providersOf(other).list(), first, 'the same list object: kept, not read again');
      assert.throws(() => {
        (first[0] as { display_name: string }).display_name = 'changed by a caller';
      }, TypeError);
      assert.match(await command(other, 'providers'), /\*\*Git Renamed\*\*/);
    });
  });
}
