/**
 * The only reader of process.env. One zod schema per concern (listening,
 * security, outbound requests, encryption keys, limits, hosts and storage)
 * gives both the type and the check; a bad value stops the App with a message
 * naming the variable. Loading writes nothing: when no encryption key is set,
 * start-up code creates the development key (development_key.ts). New
 * concerns add one schema here.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, configErrorOf, flag, httpUrl, integer, optionalSetting, setting } from './fields.js';
import { DEVELOPMENT_KEY_ID, currentKey, keyId, previousKeys, type EncryptionKey } from './keys.js';
import { appsHostChecks, crossChecks } from './checks.js';
import { defaultRootUrl, listening } from './listening.js';
import { hosts, type HostName } from './hosts.js';
import { metricsListenerCheck, observability } from './observability.js';

export { ConfigError, type EncryptionKey };
export { DEFAULT_HOSTS, maskDatabaseUrl, type DatabaseSettings, type HostName } from './hosts.js';
export type { AppsListener } from './listening.js';
export type { MetricsListener } from './observability.js';

const JWT_SECRET_RULE = 'must be at least 32 bytes; generate one with `openssl rand -base64 32`';
const jwtSecret = z.string().refine((secret) => Buffer.byteLength(secret, 'utf8') >= 32, { error: JWT_SECRET_RULE });

const security = z
  .object({
    // Not trimmed: the secret is used exactly as Mattermost has it.
    APP_JWT_SECRET: z.preprocess((value) => (value === '' ? undefined : value), jwtSecret.optional()),
    APP_ALLOW_UNAUTHENTICATED_CALLS: setting(flag, false),
    APP_MATTERMOST_URL: optionalSetting(httpUrl),
  })
  .transform((env) => ({
    /** When set, calls must carry a valid HS256 JWT signed with it. */
    jwtSecret: env.APP_JWT_SECRET,
    /** Lets a non-loopback App run without APP_JWT_SECRET (a deliberate choice, never a default). */
    allowUnauthenticatedCalls: env.APP_ALLOW_UNAUTHENTICATED_CALLS,
    /** The Mattermost Site URL; required unless the service is reachable on loopback only. */
    mattermostUrl: env.APP_MATTERMOST_URL,
  }));

const outbound = z
  .object({
    APP_ALLOW_PRIVATE_NETWORK: setting(flag, false),
    APP_HTTP_TIMEOUT_MS: setting(integer(100, 120_000), 10_000),
    APP_REVOCATION_TIMEOUT_MS: setting(integer(100, 60_000), 5_000),
    APP_DISCOVERY_TTL_SECONDS: setting(integer(0, 604_800), 3600),
    APP_REFRESH_MARGIN_SECONDS: setting(integer(0, 3600), 60),
  })
  .transform((env) => ({
    /** Outbound requests to private, loopback or link-local addresses, and plain http, only when true. */
    allowPrivateNetwork: env.APP_ALLOW_PRIVATE_NETWORK,
    httpTimeoutMs: env.APP_HTTP_TIMEOUT_MS,
    revocationTimeoutMs: env.APP_REVOCATION_TIMEOUT_MS,
    discoveryTtlMs: env.APP_DISCOVERY_TTL_SECONDS * 1000,
    refreshMarginMs: env.APP_REFRESH_MARGIN_SECONDS * 1000,
  }));

const limits = z
  .object({
    APP_BODY_LIMIT_BYTES: setting(integer(1024, 10_485_760), 262_144),
    APP_SHUTDOWN_TIMEOUT_MS: setting(integer(0, 30_000), 4000),
    APP_LOG_LEVEL: setting(
      z.enum(['debug', 'info', 'warn', 'error'], { error: (issue) => `must be debug, info, warn or error, got ${JSON.stringify(issue.input)}` }),
      'info',
    ),
  })
  .transform((env) => ({ bodyLimitBytes: env.APP_BODY_LIMIT_BYTES, shutdownTimeoutMs: env.APP_SHUTDOWN_TIMEOUT_MS, logLevel: env.APP_LOG_LEVEL }));

/** Where the service keeps its files (the development key, the SQLite database), as an absolute path. */
const files = z.object({ APP_DATA_DIR: setting(z.string(), '.data') }).transform((env) => ({ dataDir: resolve(env.APP_DATA_DIR) }));

const keys = (dataDir: string) =>
  z
    .object({
      APP_ENCRYPTION_KEY: optionalSetting(currentKey),
      APP_ENCRYPTION_KEY_ID: setting(keyId, 'k1'),
      APP_PREVIOUS_ENCRYPTION_KEYS: setting(previousKeys, []),
      APP_ACCEPT_UNBOUND_SEALED: setting(flag, true),
    })
    .transform((env) => {
      const current = env.APP_ENCRYPTION_KEY ? { id: env.APP_ENCRYPTION_KEY_ID, key: env.APP_ENCRYPTION_KEY } : undefined;
      return {
        /** The current key first; without APP_ENCRYPTION_KEY only the older ones until start-up adds the development key. */
        encryptionKeys: current ? [current, ...env.APP_PREVIOUS_ENCRYPTION_KEYS] : env.APP_PREVIOUS_ENCRYPTION_KEYS,
        currentKeyId: current?.id ?? DEVELOPMENT_KEY_ID,
        /** Where start-up keeps the development key; undefined when APP_ENCRYPTION_KEY is set. */
        developmentKeyFile: current ? undefined : join(dataDir, 'encryption.key'),
        /** false: values of the first, unbound sealed format (v1) no longer open (they are re-sealed bound when true). */
        acceptUnboundSealed: env.APP_ACCEPT_UNBOUND_SEALED,
      };
    });

export type Config = z.output<typeof listening> &
  z.output<typeof security> &
  z.output<typeof outbound> &
  z.output<typeof limits> &
  z.output<typeof files> &
  z.output<ReturnType<typeof keys>> &
  z.output<ReturnType<typeof hosts>> &
  z.output<typeof observability> & {
    rootUrl: string;
    /** Set when the App runs on development defaults; each names what to configure. */
    warnings: string[];
  };

type Env = Record<string, string | undefined>;

function parse<T>(schema: z.ZodType<T>, env: Env): T {
  const result = schema.safeParse(env);
  if (!result.success) throw configErrorOf(result.error);
  return result.data;
}

/** Reads and checks every setting; throws a ConfigError naming the first bad variable. Writes nothing. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const listeners = parse(listening, env);
  const rootUrl = listeners.rootUrl ?? defaultRootUrl(listeners.host, listeners.port);
  const { dataDir } = parse(files, env);
  const config = {
    ...listeners,
    rootUrl,
    ...parse(security, env),
    ...parse(outbound, env),
    ...parse(limits, env),
    dataDir,
    ...parse(keys(dataDir), env),
    ...parse(hosts(dataDir), env),
    ...parse(observability, env),
  };
  metricsListenerCheck(
    config.metricsListener,
    [listeners.port, ...(listeners.appsListener ? [listeners.appsListener.port] : [])].filter((p) => p !== 0),
  );
  const warnings = crossChecks(config, listeners.rootUrl !== undefined);
  return Object.freeze({ ...config, warnings });
}

/**
 * The configuration with the hosts the service serves: when APP_HOSTS is unset the service decides
 * them at start (served_hosts.ts), and only then do the Apps host's rules apply (a ConfigError when
 * it is served and public without APP_JWT_SECRET, a warning on loopback). An explicit APP_HOSTS was
 * checked at load and is returned as it is.
 */
export function withServedHosts(config: Readonly<Config>, served: HostName[]): Readonly<Config> {
  if (config.hostsChosen) return config;
  const apps = served.includes('apps');
  const next = { ...config, hosts: [...served], appsListener: apps ? config.appsListener : undefined };
  const warnings = [...config.warnings, ...appsHostChecks(next)];
  if (config.appsListener && !apps) {
    warnings.push('APP_APPS_PORT is set but the Apps host is not served (see the hosts in the "listening" line): set APP_HOSTS=apps,standalone to serve it.');
  }
  return Object.freeze({ ...next, warnings });
}
