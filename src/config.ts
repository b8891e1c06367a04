/**
 * The only reader of process.env. One zod schema per concern (listening,
 * security, outbound requests, encryption keys, limits) gives both the type
 * and the check; a bad value stops the App with a message naming the variable.
 * Loading writes nothing: when no encryption key is set, start-up code creates
 * the development key (development_key.ts). New concerns add one schema here.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, configErrorOf, flag, httpUrl, integer, isLoopbackHost, optionalSetting, setting } from './config_fields.js';
import { DEVELOPMENT_KEY_ID, currentKey, keyId, previousKeys, type EncryptionKey } from './config_keys.js';
import { standalone } from './config_standalone.js';

export { ConfigError, type EncryptionKey };
export { maskDatabaseUrl, type DatabaseSettings, type HostName, type StandaloneSettings } from './config_standalone.js';

const server = z
  .object({ HOST: setting(z.string(), '127.0.0.1'), PORT: setting(integer(0, 65535), 4000), APP_ROOT_URL: optionalSetting(httpUrl) })
  .transform((env) => ({
    host: env.HOST,
    port: env.PORT,
    /** The App's URL as the Mattermost server reaches it (manifest root_url); undefined here, filled in by loadConfig. */
    rootUrl: env.APP_ROOT_URL,
  }));

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
    /** The Mattermost Site URL; required unless the App listens on loopback only. */
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

const keys = z
  .object({
    APP_ENCRYPTION_KEY: optionalSetting(currentKey),
    APP_ENCRYPTION_KEY_ID: setting(keyId, 'k1'),
    APP_PREVIOUS_ENCRYPTION_KEYS: setting(previousKeys, []),
    APP_DATA_DIR: setting(z.string(), '.data'),
  })
  .transform((env) => {
    const current = env.APP_ENCRYPTION_KEY ? { id: env.APP_ENCRYPTION_KEY_ID, key: env.APP_ENCRYPTION_KEY } : undefined;
    return {
      /** The current key first; without APP_ENCRYPTION_KEY only the older ones until start-up adds the development key. */
      encryptionKeys: current ? [current, ...env.APP_PREVIOUS_ENCRYPTION_KEYS] : env.APP_PREVIOUS_ENCRYPTION_KEYS,
      currentKeyId: current?.id ?? DEVELOPMENT_KEY_ID,
      /** Where start-up keeps the development key; undefined when APP_ENCRYPTION_KEY is set. */
      developmentKeyFile: current ? undefined : resolve(env.APP_DATA_DIR, 'encryption.key'),
    };
  });

export type Config = z.output<typeof server> &
  z.output<typeof security> &
  z.output<typeof outbound> &
  z.output<typeof limits> &
  z.output<typeof keys> &
  z.output<typeof standalone> & {
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

function defaultRootUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The rules that join several variables; each refusal says what to set. */
function crossChecks(config: Omit<Config, 'warnings'>, rootUrlSet: boolean): string[] {
  const warnings: string[] = [];
  const loopback = isLoopbackHost(config.host);
  if (!rootUrlSet && (config.host === '0.0.0.0' || config.host === '::')) {
    warnings.push(
      `APP_ROOT_URL is not set and HOST=${config.host}: the manifest says ${config.rootUrl}, which Mattermost cannot reach. Set APP_ROOT_URL to the App's address as the server sees it.`,
    );
  }
  if (!config.mattermostUrl) {
    if (!loopback)
      throw new ConfigError(
        'APP_MATTERMOST_URL',
        `must be set when HOST=${config.host} is not a loopback address: set it to the Mattermost Site URL (System Console > Web Server > Site URL).`,
      );
    warnings.push(
      'APP_MATTERMOST_URL is not set: the App trusts the Mattermost URL that calls carry, which is safe only on this machine. Set it to the Mattermost Site URL.',
    );
  }
  if (!config.jwtSecret) {
    if (!loopback && !config.allowUnauthenticatedCalls) {
      throw new ConfigError(
        'APP_JWT_SECRET',
        `must be set when HOST=${config.host} is not a loopback address (generate one with \`openssl rand -base64 32\`), or set APP_ALLOW_UNAUTHENTICATED_CALLS=true to accept unauthenticated calls.`,
      );
    }
    warnings.push('APP_JWT_SECRET is not set: calls are not authenticated (use_jwt is off). Set it in production.');
  }
  if (config.developmentKeyFile) {
    warnings.push(
      `APP_ENCRYPTION_KEY is not set: tokens are encrypted with a development key kept in ${config.developmentKeyFile}. Set APP_ENCRYPTION_KEY in production.`,
    );
  }
  if (config.encryptionKeys.filter((key) => key.id === config.currentKeyId).length > (config.developmentKeyFile ? 0 : 1)) {
    throw new ConfigError('APP_PREVIOUS_ENCRYPTION_KEYS', `must not reuse the current key id "${config.currentKeyId}"`);
  }
  return warnings;
}

/** Reads and checks every setting; throws a ConfigError naming the first bad variable. Writes nothing. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const listening = parse(server, env);
  const rootUrl = listening.rootUrl ?? defaultRootUrl(listening.host, listening.port);
  const config = {
    ...listening,
    rootUrl,
    ...parse(security, env),
    ...parse(outbound, env),
    ...parse(limits, env),
    ...parse(keys, env),
    ...parse(standalone, env),
  };
  const warnings = crossChecks(config, listening.rootUrl !== undefined);
  return Object.freeze({ ...config, warnings });
}
