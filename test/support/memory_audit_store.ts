/** The audit trail's rows in memory, for tests of what is recorded (the SQL store is tested on both databases). */
import type { AuditEntry, AuditFilter, AuditStore } from '../../src/core/audit.js';

export class MemoryAuditStore implements AuditStore {
  readonly entries: AuditEntry[] = [];

  async insert(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }

  async recent(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.entries
      .filter(
        (e) => (filter.target === undefined || e.target === filter.target) && (filter.actorUserId === undefined || e.actor_user_id === filter.actorUserId),
      )
      .reverse()
      .slice(0, filter.limit);
  }

  async prune(before: number, batch: number): Promise<number> {
    const old = this.entries.filter((e) => e.at < before).slice(0, batch);
    for (const e of old) this.entries.splice(this.entries.indexOf(e), 1);
    return old.length;
  }
}
