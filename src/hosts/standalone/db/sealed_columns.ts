/**
 * Every sealed value the standalone host stores, one entry per column that
 * holds one: where it is, the binding it opens with, and how the column's
 * value is written back with it re-sealed. Key rotation (key_rotation.ts)
 * walks exactly this list, and a test holds the schema to it: a column added
 * to the schema must be named here or among the columns that hold no secret.
 */
import type { Selectable } from 'kysely';
import { clientSecretSlot } from '../../../core/seal_slots.js';
import { toProviderConfig, type StoredProvider } from '../../../core/provider_records.js';
import type { SealBinding } from './bound_sealer.js';
import { tokenBinding } from './connection_repository.js';
import { BOT_TOKEN, CLIENT_SECRET } from './installation_store.js';
import type { ConnectionsTable, Database, InstallationTable, ProvidersTable } from './schema.js';

/** A sealed value found in a row, with the binding it was sealed for. */
export interface SealedValue {
  sealed: string;
  binding: SealBinding;
}

export interface SealedColumn<T extends keyof Database = keyof Database> {
  /** What an admin reads in the report. */
  kind: string;
  table: T;
  column: keyof Database[T] & string;
  /** The row's key, in the order rows are walked (keyset batches). */
  keyColumns: ReadonlyArray<keyof Database[T] & string>;
  /** The sealed value of the row; undefined when the row holds none (a provider without a client secret). */
  sealedIn(row: Selectable<Database[T]>): SealedValue | undefined;
  /** The column's new value with `sealed` in place of the old sealed value. */
  withSealed(row: Selectable<Database[T]>, sealed: string): string;
}

/** Bound as connection_repository.ts seals them. */
const userTokens: SealedColumn<'connections'> = {
  kind: 'user tokens',
  table: 'connections',
  column: 'tokens',
  keyColumns: ['user_id', 'provider_id'],
  sealedIn: (row: Selectable<ConnectionsTable>) => ({ sealed: row.tokens, binding: tokenBinding(row.user_id, row.provider_id, row.origin) }),
  withSealed: (_row, sealed) => sealed,
};

/** Inside the provider's JSON record, bound as the core seals it (seal_slots.ts). */
const providerSecrets: SealedColumn<'providers'> = {
  kind: 'provider client secrets',
  table: 'providers',
  column: 'record',
  keyColumns: ['id'],
  sealedIn: (row: Selectable<ProvidersTable>) => {
    const record = JSON.parse(row.record) as StoredProvider;
    if (record.sealed_secret === undefined) return undefined;
    return { sealed: record.sealed_secret, binding: clientSecretSlot(toProviderConfig(record, undefined)) };
  },
  withSealed: (row, sealed) => JSON.stringify({ ...(JSON.parse(row.record) as StoredProvider), sealed_secret: sealed }),
};

/** Bound as installation_store.ts seals them. */
const installationSetting = (kind: string, column: 'bot_token' | 'oauth_client_secret', binding: SealBinding): SealedColumn<'installation'> => ({
  kind,
  table: 'installation',
  column,
  keyColumns: ['id'],
  sealedIn: (row: Selectable<InstallationTable>) => ({ sealed: row[column], binding }),
  withSealed: (_row, sealed) => sealed,
});

export const SEALED_COLUMNS: ReadonlyArray<SealedColumn> = [
  userTokens,
  providerSecrets,
  installationSetting('bot token', 'bot_token', BOT_TOKEN),
  installationSetting('sign-in app secret', 'oauth_client_secret', CLIENT_SECRET),
] as ReadonlyArray<SealedColumn>;
