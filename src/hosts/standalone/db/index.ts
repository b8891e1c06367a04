/** The standalone host's SQL storage: open it, then build the repositories over it. */
import type { StandaloneDatabase } from './open_database.js';
import type { BoundSealer } from './bound_sealer.js';
import { SqlAppsImportLedger } from './apps_import_store.js';
import { SqlCommandAdmission } from './command_admission.js';
import { SqlConnectionRepository } from './connection_repository.js';
import { SqlInstallationStore } from './installation_store.js';
import { SqlLeaseStore } from './lease_store.js';
import { SqlOneTimeStore } from './one_time_store.js';
import { SqlProviderRepository } from './provider_repository.js';
import { SqlSessionStore } from './session_store.js';
import { SqlTokenClientStore } from './token_client_repository.js';
import { SqlAuditStore } from './audit_store.js';
import { SqlTokenIssuance } from './token_issuance.js';
import { SqlRateWindowStore } from './rate_window_store.js';

export { openDatabase, type StandaloneDatabase, type OpenOptions, type StorageKind } from './open_database.js';
export { migrateToLatest, MigrationError, MIGRATIONS } from './migrations.js';
export { checkDatabase, healthRouter, type DatabaseHealth, type HealthOptions } from './health.js';
export type { IdleConnection } from './connection_repository.js';
export { StoredSecretError, type BoundSealer, type SealBinding } from './bound_sealer.js';
export {
  SqlAppsImportLedger,
  SqlAuditStore,
  SqlCommandAdmission,
  SqlConnectionRepository,
  SqlInstallationStore,
  SqlLeaseStore,
  SqlOneTimeStore,
  SqlProviderRepository,
  SqlRateWindowStore,
  SqlSessionStore,
  SqlTokenClientStore,
  SqlTokenIssuance,
};
export type { Database } from './schema.js';

export interface StandaloneRepositories {
  providers: SqlProviderRepository;
  connections: SqlConnectionRepository;
  installation: SqlInstallationStore;
  sessions: SqlSessionStore;
  oneTime: SqlOneTimeStore;
  admission: SqlCommandAdmission;
  /** The ledger of the move from the Apps host (core/apps_move). */
  appsImport: SqlAppsImportLedger;
  tokenClients: SqlTokenClientStore;
  /** The token endpoint's reads in one statement. */
  tokenIssuance: SqlTokenIssuance;
  auditLog: SqlAuditStore;
  /** Which replica runs a background pass (the keep-alive pass). */
  leases: SqlLeaseStore;
  /** The token API's per-client counts per minute window, shared by the replicas (used on PostgreSQL; pruned on both). */
  rateWindows: SqlRateWindowStore;
}

export function createRepositories(database: StandaloneDatabase, sealer: BoundSealer, now: () => number = Date.now): StandaloneRepositories {
  const { db, lockDb } = database;
  // One kept provider list per process: the connections' reads validate it with the version they read.
  const providers = new SqlProviderRepository(db);
  const installation = new SqlInstallationStore(db, sealer);
  const oneTime = new SqlOneTimeStore(db);
  const connections = new SqlConnectionRepository(db, sealer, { ...(lockDb && { lockDb }), now, providers });
  return {
    providers,
    connections,
    installation,
    sessions: new SqlSessionStore(db),
    oneTime,
    admission: new SqlCommandAdmission(db, database.kind, { installation, connections }),
    appsImport: new SqlAppsImportLedger(db),
    tokenClients: new SqlTokenClientStore(db),
    tokenIssuance: new SqlTokenIssuance(db, connections),
    auditLog: new SqlAuditStore(db),
    leases: new SqlLeaseStore(db),
    rateWindows: new SqlRateWindowStore(db),
  };
}
