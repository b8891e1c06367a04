/**
 * The installation store of `oauth2-connect setup`: the service's own SQL database
 * (the same file or DATABASE_URL, the same sealing key and scope as
 * `npm start`), so the running service reads what setup wrote.
 */
import type { Config } from '../../../config/index.js';
import { withDevelopmentKey } from '../../../config/development_key.js';
import { openDatabase, SqlAuditStore, SqlInstallationStore } from '../db/index.js';
import type { OpenedStore } from './setup_cli.js';
import { createStandaloneSealer } from '../db/sealer.js';

export async function openSetupStore(config: Readonly<Config>): Promise<OpenedStore> {
  const keyed = withDevelopmentKey(config);
  const database = await openDatabase(keyed.database);
  return {
    store: new SqlInstallationStore(database.db, createStandaloneSealer(keyed)),
    audit: new SqlAuditStore(database.db),
    close: () => database.close(),
  };
}
