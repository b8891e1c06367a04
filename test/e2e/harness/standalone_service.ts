// The real standalone service (test/support/standalone_service.ts) for a
// standalone world, on SQLite or PostgreSQL, with `oauth2-connect setup` applied with
// the admin's token: /oauth2 in every team, the bot, Sign in with Mattermost.
import assert from 'node:assert/strict';
import type { RunningService } from '../../../src/service.js';
import { runSetup } from '../../../src/hosts/standalone/setup/setup.js';
import type { BackendName } from '../../support/standalone_db.js';
import { startListeningService, type ListeningService } from '../../support/standalone_service.js';
import type { StandaloneWorld } from './standalone_world.js';

export interface StandaloneService extends Omit<ListeningService, 'close'> {
  /** Runs setup --remove, stops the service and drops its database. */
  close(): Promise<void>;
}

export async function startStandaloneService(w: StandaloneWorld, backend: BackendName): Promise<StandaloneService> {
  const running = await startListeningService({ storage: backend, mattermostUrl: () => w.server.url });
  const setup = (service: RunningService, mode: 'apply' | 'remove') =>
    runSetup({ adminToken: w.admin.token, mattermostUrl: w.server.url, rootUrl: running.root, store: service.standalone!.repositories.installation, mode });
  try {
    const report = await setup(running.service, 'apply');
    assert.deepEqual(report.problems, [], report.format());
  } catch (err) {
    await running.close();
    throw err;
  }
  return {
    ...running,
    async close() {
      await setup(running.service, 'remove').catch(() => undefined);
      await running.close();
    },
  };
}
