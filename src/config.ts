/**
 * The only reader of process.env. Every setting is validated once at start;
 * a bad value stops the App with a message naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { trimTrailingSlashes } from './util/trim_slashes.js';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Config {
  host: string;
  port: number;
  /** The App's URL as the Mattermost server reaches it (manifest root_url). */
  rootUrl: string;
  /** When set, calls must carry a valid HS256 JWT signed with it (at least 32 bytes). */
  jwtSecret: string | undefined;
  /** APP_ALLOW_UNAUTHENTICATED_CALLS: lets a non-loopback HOST run without APP_JWT_SECRET. */
  allowUnauthenticatedCalls: boolean;
  /** The only Mattermost the App sends tokens to; a call naming another site URL is refused. */
  mattermostUrl: string | undefined;
  /** APP_ALLOW_PRIVATE_NETWORK: providers on private/loopback addresses and plain http allowed. */
  allowPrivateNetwork: boolean;
  encryptionKeys: EncryptionKey[];
  currentKeyId: string;
  httpTimeoutMs: number;
  revocationTimeoutMs: number;
  discoveryTtlMs: number;
  refreshMarginMs: number;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Set when the App runs on development defaults; each names what to configure. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, 'must use http or https');
  if (url.search || url.hash) throw new ConfigError(name, 'must not have a query or fragment');
  return trimTrailingSlashes(raw);
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

function parseKey(name: string, id: string, material: string): EncryptionKey {
  if (!KEY_ID.test(id)) throw new ConfigError(name, 'key ids are 1-16 characters of letters, digits, - and _');
  const key = Buffer.from(material, 'base64');
  if (key.length !== 32) throw new ConfigError(name, 'must be 32 bytes encoded in base64 (openssl rand -base64 32)');
  return { id, key };
}

/** Older keys as "id:base64,id:base64": tokens sealed with them are re-encrypted when read. */
function previousKeys(env: Env): EncryptionKey[] {
  const name = 'APP_PREVIOUS_ENCRYPTION_KEYS';
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((entry) => {
    const [id, material, extra] = entry.trim().split(':');
    if (!id || !material || extra !== undefined) throw new ConfigError(name, 'must be a list of id:base64key separated by commas');
    return parseKey(name, id, material);
  });
}

/** Without a configured key, one is generated once into the data folder (mode 0600). */
function developmentKey(dataDir: string, warnings: string[]): EncryptionKey {
  const file = join(dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  warnings.push(`APP_ENCRYPTION_KEY is not set: tokens are encrypted with a development key kept in ${file}. Set APP_ENCRYPTION_KEY in production.`);
  return parseKey(file, 'dev', readFileSync(file, 'utf8').trim());
}

function encryptionKeys(env: Env, warnings: string[]): { keys: EncryptionKey[]; currentKeyId: string } {
  const material = env.APP_ENCRYPTION_KEY?.trim();
  const current = material
    ? parseKey('APP_ENCRYPTION_KEY', env.APP_ENCRYPTION_KEY_ID?.trim() || 'k1', material)
    : developmentKey(resolve(env.APP_DATA_DIR?.trim() || '.data'), warnings);
  const older = previousKeys(env);
  if (older.some((key) => key.id === current.id)) {
    throw new ConfigError('APP_PREVIOUS_ENCRYPTION_KEYS', `must not reuse the current key id "${current.id}"`);
  }
  return { keys: [current, ...older], currentKeyId: current.id };
}

function logLevel(env: Env): Config['logLevel'] {
  const raw = env.APP_LOG_LEVEL?.trim() || 'info';
  if (raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error') return raw;
  throw new ConfigError('APP_LOG_LEVEL', `must be debug, info, warn or error, got "${raw}"`);
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase() || 'false';
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** Who may call (the JWT secret) and whom the App calls (Mattermost): strict unless HOST is loopback. */
function authority(env: Env, host: string, warnings: string[]) {
  const loopback = isLoopbackHost(host);
  const jwtSecret = env.APP_JWT_SECRET || undefined;
  const allowUnauthenticatedCalls = flag(env, 'APP_ALLOW_UNAUTHENTICATED_CALLS');
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret, 'utf8') < 32) {
    throw new ConfigError('APP_JWT_SECRET', 'must be at least 32 bytes (generate one with: openssl rand -base64 32)');
  }
  if (!jwtSecret && !loopback && !allowUnauthenticatedCalls) {
    throw new ConfigError('APP_JWT_SECRET', `is required when HOST (${host}) is not a loopback address (or set APP_ALLOW_UNAUTHENTICATED_CALLS=true)`);
  }
  if (!jwtSecret) warnings.push('APP_JWT_SECRET is not set: calls are not authenticated (use_jwt is off). Set it in production.');
  const mattermostUrl = httpUrl(env, 'APP_MATTERMOST_URL');
  if (!mattermostUrl && !loopback) throw new ConfigError('APP_MATTERMOST_URL', `is required when HOST (${host}) is not a loopback address`);
  if (!mattermostUrl) warnings.push("APP_MATTERMOST_URL is not set: each call's mattermost_site_url is trusted. Set it in production.");
  return { jwtSecret, allowUnauthenticatedCalls, mattermostUrl, allowPrivateNetwork: flag(env, 'APP_ALLOW_PRIVATE_NETWORK') };
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const warnings: string[] = [];
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = integer(env, 'PORT', 4000, 0, 65535);
  const rootUrl = httpUrl(env, 'APP_ROOT_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!env.APP_ROOT_URL?.trim() && (host === '0.0.0.0' || host === '::')) {
    warnings.push(`APP_ROOT_URL is not set and HOST=${host}: the manifest says ${rootUrl}, which Mattermost cannot reach. Set APP_ROOT_URL to the App's address as the server sees it.`);
  }
  const { keys, currentKeyId } = encryptionKeys(env, warnings);
  return Object.freeze({
    host,
    port,
    rootUrl,
    ...authority(env, host, warnings),
    encryptionKeys: keys,
    currentKeyId,
    httpTimeoutMs: integer(env, 'APP_HTTP_TIMEOUT_MS', 10_000, 100, 120_000),
    revocationTimeoutMs: integer(env, 'APP_REVOCATION_TIMEOUT_MS', 5_000, 100, 60_000),
    discoveryTtlMs: integer(env, 'APP_DISCOVERY_TTL_SECONDS', 3600, 0, 604_800) * 1000,
    refreshMarginMs: integer(env, 'APP_REFRESH_MARGIN_SECONDS', 60, 0, 3600) * 1000,
    bodyLimitBytes: integer(env, 'APP_BODY_LIMIT_BYTES', 262_144, 1024, 10_485_760),
    shutdownTimeoutMs: integer(env, 'APP_SHUTDOWN_TIMEOUT_MS', 4000, 0, 30_000),
    logLevel: logLevel(env),
    warnings,
  });
}
