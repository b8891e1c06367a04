/** The service's browser sessions: only the hash of the cookie value is stored. */
import type { Kysely } from 'kysely';
import type { BrowserSession, SessionStore } from '../ports.js';
import { millis, type Database } from './schema.js';

export class SqlSessionStore implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: BrowserSession): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async get(idHash: string, now: number): Promise<BrowserSession | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
    return row ? { id_hash: row.id_hash, user_id: row.user_id, created_at: millis(row.created_at), expires_at: millis(row.expires_at) } : undefined;
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async prune(now: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
