/**
 * The configuration of the hosts this process serves and of the standalone
 * host's SQL storage. A DATABASE_URL may carry a password: messages show it
 * masked (maskDatabaseUrl), never as typed.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { validSource } from '../util/address_sources.js';
import { integer, optionalSetting, setting } from './fields.js';

export type HostName = 'apps' | 'standalone';

/** The hosts a process serves when APP_HOSTS is not set and nothing narrows them (served_hosts.ts). */
export const DEFAULT_HOSTS: readonly HostName[] = Object.freeze(['apps', 'standalone']);

/** Where the standalone host keeps its data. */
export type DatabaseSettings = { kind: 'sqlite'; file: string } | ({ kind: 'postgres'; url: string } & PostgresLimits);

/** How much of PostgreSQL one process may take, and how long it waits before giving a clear error. */
export interface PostgresLimits {
  /** Connections per pool (each process has two: queries and locks). */
  poolMax: number;
  /** Longest wait for a connection (pool full, or the server slow to accept), ms. */
  connectTimeoutMs?: number;
  /** Longest statement, including a wait for a lock, ms. */
  statementTimeoutMs?: number;
}

/** The URL with its password (if any) replaced by "****", for logs and messages. */
export function maskDatabaseUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '****';
    return url.toString();
  } catch {
    return '[unparsable database URL]';
  }
}

const hostList = z.string().transform((raw, ctx): HostName[] => {
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const unknown = names.find((name) => name !== 'apps' && name !== 'standalone');
  if (unknown !== undefined) ctx.addIssue({ code: 'custom', message: `must be a comma list of apps and standalone, got "${unknown}"`, input: raw });
  else if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one host (apps, standalone)', input: raw });
  return [...new Set(names)] as HostName[];
});

/** Every address, said on purpose: behind a reverse proxy the peer is the proxy, which must then admit only Mattermost itself. */
export const ANY_SOURCE = ['0.0.0.0/0', '::/0'];

/** Addresses or CIDRs, separated by commas or spaces, or `any`; an entry that is neither is named in the error. */
const sourceList = z.string().transform((raw, ctx): string[] => {
  if (raw.toLowerCase() === 'any') return ANY_SOURCE;
  const sources = [...new Set(raw.split(/[\s,]+/).filter((source) => source !== ''))];
  const invalid = sources.filter((source) => !validSource(source));
  if (invalid.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `must be IP addresses or CIDRs (like 10.0.0.5 or 10.0.0.0/24), or any, got ${invalid.slice(0, 3).join(', ').slice(0, 120)}`,
      input: raw,
    });
  return sources;
});

/** Checked by hand so that no zod message can echo the value. */
function databaseProblem(raw: string): string | undefined {
  if (!URL.canParse(raw)) return 'must be a URL like postgres://user:password@host:5432/database (the value is not shown)';
  const url = new URL(raw);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    return `must start with postgres:// or postgresql://, got "${url.protocol}//" (unset it to use the embedded SQLite file)`;
  if (!url.hostname) return `must name a host: ${maskDatabaseUrl(raw)}`;
  if (url.pathname.replace(/^\/+/, '') === '') return `must name a database: ${maskDatabaseUrl(raw)}`;
  return undefined;
}

const databaseUrl = z.string().superRefine((raw, ctx) => {
  const problem = databaseProblem(raw);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: '' });
});

const fields = z.object({
  APP_HOSTS: optionalSetting<HostName[]>(hostList),
  DATABASE_URL: setting(databaseUrl, ''),
  APP_DB_POOL_MAX: setting(integer(1, 100), 10),
  APP_DB_CONNECT_TIMEOUT_MS: setting(integer(100, 120_000), 5000),
  APP_DB_STATEMENT_TIMEOUT_MS: setting(integer(100, 600_000), 30_000),
  APP_TEAM_SYNC_SECONDS: setting(integer(10, 86_400), 300),
  // Mattermost's own default OutgoingIntegrationRequestsTimeout: no genuine request waits longer before Mattermost gives up on it.
  APP_TRIGGER_WINDOW_MS: setting(integer(1000, 120_000), 30_000),
  // Empty: every address (a warning at start says what that leaves open).
  APP_MATTERMOST_SOURCES: setting(sourceList, []),
  // Microsoft ends refresh tokens unused for 90 days, Google those unused for six months: a month keeps well inside both.
  APP_KEEP_ALIVE_IDLE_DAYS: setting(integer(0, 3650), 30),
  APP_KEEP_ALIVE_INTERVAL_MINUTES: setting(integer(1, 10_080), 60),
  APP_KEEP_ALIVE_PER_MINUTE: setting(integer(1, 600), 10),
});

/** PostgreSQL when DATABASE_URL is set, else the SQLite file in the data folder. */
function databaseOf(env: z.output<typeof fields>, dataDir: string): DatabaseSettings {
  if (!env.DATABASE_URL) return { kind: 'sqlite', file: join(dataDir, 'oauth2-connect.sqlite') };
  return {
    kind: 'postgres',
    url: env.DATABASE_URL,
    poolMax: env.APP_DB_POOL_MAX,
    connectTimeoutMs: env.APP_DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.APP_DB_STATEMENT_TIMEOUT_MS,
  };
}

/** `dataDir`: the data folder (APP_DATA_DIR, read once in index.ts). */
export const hosts = (dataDir: string) =>
  fields.transform((env) => ({
    /**
     * Which hosts run: APP_HOSTS, else both until the service reads what setup recorded about the
     * Apps plugin (served_hosts.ts narrows them at start).
     */
    hosts: env.APP_HOSTS ?? [...DEFAULT_HOSTS],
    /** Whether APP_HOSTS chose the hosts: an explicit choice always wins. */
    hostsChosen: env.APP_HOSTS !== undefined,
    /** The standalone host's SQL storage. */
    database: databaseOf(env, dataDir),
    /** How often team sync puts /oauth2 into teams created since (APP_TEAM_SYNC_SECONDS). */
    teamSyncIntervalMs: env.APP_TEAM_SYNC_SECONDS * 1000,
    /** How far a command's signed trigger time may be from this service's clock (APP_TRIGGER_WINDOW_MS). */
    triggerWindowMs: env.APP_TRIGGER_WINDOW_MS,
    /**
     * Where Mattermost's requests to the standalone host come from (APP_MATTERMOST_SOURCES): commands, dialog
     * submissions and button clicks from any other address are refused. Empty: any address.
     */
    mattermostSources: env.APP_MATTERMOST_SOURCES,
    /** The keep-alive pass over idle connections (APP_KEEP_ALIVE_*); idleMs 0: off. */
    keepAlive: {
      idleMs: env.APP_KEEP_ALIVE_IDLE_DAYS * 86_400_000,
      intervalMs: env.APP_KEEP_ALIVE_INTERVAL_MINUTES * 60_000,
      perMinute: env.APP_KEEP_ALIVE_PER_MINUTE,
    },
  }));
