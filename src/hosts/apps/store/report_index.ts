/**
 * Who is connected to which provider, for the admins' report. The plugin's KV
 * cannot be listed, so the App keeps an index in the bot's namespace, sharded
 * by the first character of the user id (8 KiB per value). Updates are queued
 * and written after the call has answered, coalesced per shard and serialized,
 * so concurrent connects do not lose each other's entries and the connect
 * path pays no extra round trip.
 */
import type { AppsPluginClient } from '@oauth2-connect/driver';
import type { Logger } from '../../../log/logger.js';

export type ReportStatus = 'connected' | 'broken' | 'removed';
type Shard = { v: 1; u: Record<string, 'c' | 'b'> };

const PREFIX = 'r';
const SHARD_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const shardKey = (providerId: string, userId: string) => `${providerId}.${(userId[0] ?? '_').toLowerCase()}`;

export interface ProviderReport {
  connected: string[];
  broken: string[];
}

export class ReportIndex {
  private readonly queued = new Map<string, { client: AppsPluginClient; changes: Map<string, ReportStatus> }>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Queues a change; written soon after, never throws. */
  record(bot: AppsPluginClient, providerId: string, userId: string, status: ReportStatus): void {
    const key = shardKey(providerId, userId);
    const entry = this.queued.get(key) ?? { client: bot, changes: new Map() };
    entry.client = bot;
    entry.changes.set(userId, status);
    this.queued.set(key, entry);
    if (!this.running.has(key)) this.running.set(key, this.drain(key));
  }

  private async drain(key: string): Promise<void> {
    await Promise.resolve();
    try {
      for (let batch = this.queued.get(key); batch; batch = this.queued.get(key)) {
        this.queued.delete(key);
        await this.write(key, batch.client, batch.changes);
      }
    } finally {
      this.running.delete(key);
    }
  }

  private async write(key: string, bot: AppsPluginClient, changes: Map<string, ReportStatus>): Promise<void> {
    try {
      const shard: Shard = (await bot.kvGet<Shard>(key, PREFIX)) ?? { v: 1, u: {} };
      for (const [userId, status] of changes) {
        if (status === 'removed') delete shard.u[userId];
        else shard.u[userId] = status === 'connected' ? 'c' : 'b';
      }
      await bot.kvSet(key, shard, PREFIX);
    } catch (err) {
      this.logger.warn('report index update failed', { shard: key, error: err });
    }
  }

  /** Waits for every queued update (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async read(bot: AppsPluginClient, providerId: string): Promise<ProviderReport> {
    await this.flush();
    const shards = await Promise.all(SHARD_CHARS.map((c) => bot.kvGet<Shard>(`${providerId}.${c}`, PREFIX)));
    const report: ProviderReport = { connected: [], broken: [] };
    for (const shard of shards) {
      for (const [userId, s] of Object.entries(shard?.u ?? {})) (s === 'c' ? report.connected : report.broken).push(userId);
    }
    return report;
  }

  /** Drops a removed provider's whole index. */
  async clear(bot: AppsPluginClient, providerId: string): Promise<void> {
    await this.flush();
    await Promise.all(SHARD_CHARS.map((c) => bot.kvDelete(`${providerId}.${c}`, PREFIX)));
  }
}
