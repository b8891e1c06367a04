/**
 * The move's change marks (migration 0012, core/apps_move/ports.ts
 * MoveLedger.markChanged): a user whose connections changed on the Apps host
 * since their copy has a random mark, new at each change; a copy reads it
 * before it begins and deletes it only if it is still the same, so a change
 * made while the copy ran stays marked. In the storage, so a restart and
 * every replica see it.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export class SqlAppsCopyMarks {
  constructor(private readonly db: Kysely<Database>) {}

  async markChanged(userId: string): Promise<void> {
    const mark = randomUUID();
    // One statement: a user gets a mark when a copy ran for them or user copying is on (else their first copy is due anyway).
    await sql`insert into apps_import_changes (user_id, mark)
      select ${userId}, ${mark}
      where exists (select 1 from apps_import_users where user_id = ${userId}) or exists (select 1 from apps_import_state)
      on conflict (user_id) do update set mark = excluded.mark`.execute(this.db);
  }

  /** Due with the mark read when marked; else due (no mark) unless `visited` says a copy ran. */
  async copyDue(userId: string, visited: () => Promise<boolean>): Promise<{ mark?: string } | undefined> {
    const change = await this.db.selectFrom('apps_import_changes').select('mark').where('user_id', '=', userId).executeTakeFirst();
    if (change) return { mark: change.mark };
    return (await visited()) ? undefined : {};
  }

  async settled(userId: string, mark: string): Promise<void> {
    await this.db.deleteFrom('apps_import_changes').where('user_id', '=', userId).where('mark', '=', mark).execute();
  }
}
