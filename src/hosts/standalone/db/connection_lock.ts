/**
 * The (user, provider) lock behind ConnectionRepository.withLock.
 * In-process: a keyed mutex, so one caller per key at a time (all SQLite
 * needs: one process owns the file). PostgreSQL adds a transaction-scoped
 * advisory lock, so replicas sharing the database wait for each other too;
 * the server releases it when the transaction ends or its connection dies,
 * so a killed replica cannot leave it held.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(fn, fn);
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // The last waiter removes the key, so the map does not grow with every user.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** A signed 64-bit advisory lock key (as text) from a hash of the pair; collisions only serialise two pairs. */
export function advisoryKey(userId: string, providerId: string): string {
  const digest = createHash('sha256').update(`oauth2-connect/connection\0${userId}\0${providerId}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export interface ConnectionLock {
  withLock<T>(userId: string, providerId: string, fn: () => Promise<T>): Promise<T>;
}

/** One mutex per database handle, so every repository built on it in this process shares it. */
const mutexes = new WeakMap<object, KeyedMutex>();

function mutexFor(handle: object): KeyedMutex {
  let mutex = mutexes.get(handle);
  if (!mutex) mutexes.set(handle, (mutex = new KeyedMutex()));
  return mutex;
}

/** `db` scopes the in-process mutex; `lockDb` (PostgreSQL) adds the advisory lock that other processes respect. */
export function createConnectionLock(db: Kysely<Database>, lockDb: Kysely<Database> | undefined): ConnectionLock {
  const local = mutexFor(lockDb ?? db);
  return {
    withLock(userId, providerId, fn) {
      const key = JSON.stringify([userId, providerId]);
      if (!lockDb) return local.run(key, fn);
      // Local first: at most one connection per key waits at the server.
      return local.run(key, () =>
        lockDb.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${advisoryKey(userId, providerId)}::bigint)`.execute(trx);
          return fn();
        }),
      );
    },
  };
}
