/** What every setup step gets: the admin's client, the store, the URLs, the mode; and how Mattermost's refusals are read. */
import type { MattermostClient4 } from '../client4.js';
import type { InstallationStore } from '../ports.js';
import type { ServiceUrls } from './names.js';
import type { SetupReport } from './report.js';
import { isDuplicateTrigger } from './team_commands.js';

export interface SetupContext {
  /** Client4 with the system admin's token (given once, never stored). */
  admin: MattermostClient4;
  /** Makes a Client4 for another token (the bot's), against the same Mattermost URL. */
  clientFor(token: string): MattermostClient4;
  store: InstallationStore;
  /** The storage the store is in, for messages: kind and where, any password masked. */
  storage: string;
  mattermostUrl: string;
  urls: ServiceUrls;
  /** 'check' reads and reports only; 'apply' creates and updates. */
  apply: boolean;
  report: SetupReport;
  now(): number;
}

/** HTTP status of a Client4 error, undefined for a network failure. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { status_code?: unknown }).status_code;
  return typeof status === 'number' ? status : undefined;
}

/** Runs a read that may answer 404; undefined then. */
export async function unless404<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string; duplicate: boolean };

/** Runs a write Mattermost may refuse: its refusal becomes a reason; no answer at all throws (the run is retried later). */
export async function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const status = statusOf(err);
    if (status === undefined) throw err;
    return { ok: false, reason: `Mattermost answered ${status}`, duplicate: isDuplicateTrigger(err) };
  }
}
