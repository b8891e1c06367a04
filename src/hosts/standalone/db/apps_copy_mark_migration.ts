/**
 * Migration 0012: the mark that a user's connections changed on the Apps host
 * since their copy to this host (apps_copy_marks.ts). Kept here rather than
 * in a process, so a change is copied after a restart and by whichever
 * replica the user's next call reaches. Each change writes a new random mark;
 * a copy clears only the mark it read before it began, so a change made while
 * it ran stays marked.
 */
import type { Kysely, Migration } from 'kysely';

export const appsCopyMark: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('apps_import_changes')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('mark', 'text', (c) => c.notNull())
      .execute();
  },
};
