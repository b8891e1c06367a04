/**
 * The two real backends the standalone storage tests run on: a temp SQLite
 * file, and a database of its own on the machine's PostgreSQL (127.0.0.1:5432,
 * trust auth, user postgres), created per suite and dropped after it, even
 * when a test failed.
 */
import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseSettings } from '../../src/config/index.js';
import { createTokenCipher, type TokenCipherKey } from '../../packages/engine/src/crypto.js';
import type { BoundSealer } from '../../src/hosts/standalone/db/bound_sealer.js';
import { openDatabase, type OpenOptions, type StandaloneDatabase } from '../../src/hosts/standalone/db/open_database.js';
import { SqlConnectionRepository } from '../../src/hosts/standalone/db/connection_repository.js';
import type { Database } from '../../src/hosts/standalone/db/schema.js';
import type { Kysely } from 'kysely';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BackendName = 'sqlite' | 'postgres';

/** A scratch place for one suite: settings to open it (any number of times), and cleanup. */
export interface Scratch {
  settings: DatabaseSettings;
  open(options?: OpenOptions): Promise<StandaloneDatabase>;
  dispose(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function createScratch(backend: BackendName): Promise<Scratch> {
  const opened: StandaloneDatabase[] = [];
  const track = async (settings: DatabaseSettings, options?: OpenOptions) => {
    const database = await openDatabase(settings, options);
    opened.push(database);
    return database;
  };
  const closeAll = () => Promise.allSettled(opened.map((d) => d.close()));
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sa-db-'));
    const settings: DatabaseSettings = { kind: 'sqlite', file: join(dir, 'data', 'oauth2-connect.sqlite') };
    return { settings, open: (o) => track(settings, o), dispose: async () => void (await closeAll(), rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `oauth2_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const settings: DatabaseSettings = { kind: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${name}`, poolMax: 10 };
  return {
    settings,
    open: (o) => track(settings, o),
    dispose: async () => {
      await closeAll();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

/** Declares `suite` once per backend, each with a fresh scratch database opened (and migrated) before it. */
export function onEachBackend(title: string, suite: (ctx: { backend: BackendName; scratch: () => Scratch; database: () => StandaloneDatabase }) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      let scratch: Scratch | undefined;
      let database: StandaloneDatabase | undefined;
      before(async () => {
        scratch = await createScratch(backend);
        database = await scratch.open();
      });
      after(async () => {
        await scratch?.dispose();
      });
      suite({ backend, scratch: () => scratch!, database: () => database! });
    });
  }
}

/** The project's real bound cipher with test keys (the first is current). */
export function testSealer(keys: TokenCipherKey[] = [{ id: 't1', key: randomBytes(32) }]): BoundSealer {
  return createTokenCipher({ keys, currentKeyId: keys[0]!.id });
}

/**
 * A connection row for the user at the provider in this database, for a test whose other stores are in memory:
 * the grant store writes a grant only while the user's connection there exists.
 */
export async function connectInDatabase(db: Kysely<Database>, userId: string, providerId: string, at = Date.now()): Promise<void> {
  await new SqlConnectionRepository(db, testSealer()).save({
    user_id: userId,
    provider_id: providerId,
    connection: { label: userId.slice(0, 5), sub: userId, since: at },
    tokens: { access_token: randomBytes(8).toString('hex'), token_type: 'bearer', obtained_at: at },
    origin: `https://${providerId}.example`,
  });
}
