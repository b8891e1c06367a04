/**
 * The rules of the configuration that join several variables: which settings a
 * service reachable beyond this machine must have, and the encryption keys'.
 * Each refusal is a ConfigError that says what to set; a development default
 * that is allowed gives a warning instead.
 */
import { ConfigError } from './fields.js';
import type { EncryptionKey } from './keys.js';
import { publicAddress, publicAppsAddress, type Reach } from './listening.js';
import type { DatabaseSettings, HostName } from './hosts.js';

/** What the rules read of the loaded configuration (index.ts's Config has these and more). */
type Loaded = Reach & {
  rootUrl: string;
  jwtSecret: string | undefined;
  allowUnauthenticatedCalls: boolean;
  mattermostUrl: string | undefined;
  encryptionKeys: EncryptionKey[];
  currentKeyId: string;
  developmentKeyFile: string | undefined;
  hosts: HostName[];
  hostsChosen: boolean;
  database: DatabaseSettings;
};

/** The rules that join several variables; each refusal says what to set. */
export function crossChecks(config: Loaded, rootUrlSet: boolean): string[] {
  const warnings: string[] = [];
  if (!rootUrlSet && (config.host === '0.0.0.0' || config.host === '::')) {
    warnings.push(
      `APP_ROOT_URL is not set and HOST=${config.host}: the manifest says ${config.rootUrl}, which Mattermost cannot reach. Set APP_ROOT_URL to the App's address as the server sees it.`,
    );
  }
  if (config.appsListener && !config.hosts.includes('apps')) {
    throw new ConfigError('APP_APPS_PORT', 'is set but APP_HOSTS does not name apps: unset APP_APPS_PORT, or add apps to APP_HOSTS.');
  }
  securityChecks(config, warnings);
  // Without APP_HOSTS the Apps host's rules wait until the service knows whether it serves it (served_hosts.ts).
  if (config.hostsChosen) warnings.push(...appsHostChecks(config));
  keyChecks(config, warnings);
  return warnings;
}

/** A service reachable beyond this machine (a bind address or a root URL) must know its Mattermost. */
function securityChecks(config: Loaded, warnings: string[]): void {
  if (!config.mattermostUrl) {
    const exposed = publicAddress(config);
    if (exposed)
      throw new ConfigError(
        'APP_MATTERMOST_URL',
        `must be set when ${exposed} is not a loopback address: set it to the Mattermost Site URL (System Console > Web Server > Site URL).`,
      );
    warnings.push(
      'APP_MATTERMOST_URL is not set: the App trusts the Mattermost URL that calls carry, which is safe only on this machine. Set it to the Mattermost Site URL.',
    );
  }
}

/**
 * The rules of the Apps host, for a process that serves it: the JWT authenticates the Apps plugin's
 * calls, so a service that does not serve the Apps host has none to check. Throws a ConfigError when
 * the Apps host is reachable beyond this machine without it; returns the warnings otherwise.
 */
export function appsHostChecks(config: Reach & { jwtSecret: string | undefined; allowUnauthenticatedCalls: boolean; hosts: HostName[] }): string[] {
  if (config.jwtSecret || !config.hosts.includes('apps')) return [];
  const exposed = publicAppsAddress(config);
  if (exposed && !config.allowUnauthenticatedCalls) {
    throw new ConfigError(
      'APP_JWT_SECRET',
      `must be set when ${exposed} is not a loopback address (generate one with \`openssl rand -base64 32\`), or set APP_ALLOW_UNAUTHENTICATED_CALLS=true to accept unauthenticated calls.`,
    );
  }
  return ['APP_JWT_SECRET is not set: calls are not authenticated (use_jwt is off). Set it in production.'];
}

function keyChecks(config: Loaded, warnings: string[]): void {
  if (config.developmentKeyFile && config.database.kind === 'postgres') {
    // Each replica would generate a development key of its own and seal rows that no other replica can open.
    throw new ConfigError(
      'APP_ENCRYPTION_KEY',
      'must be set when DATABASE_URL is set: every replica sharing the database needs the same key (generate one with `openssl rand -base64 32`).',
    );
  }
  if (config.developmentKeyFile) {
    warnings.push(
      `APP_ENCRYPTION_KEY is not set: tokens are encrypted with a development key kept in ${config.developmentKeyFile}. Set APP_ENCRYPTION_KEY in production.`,
    );
  }
  if (config.encryptionKeys.filter((key) => key.id === config.currentKeyId).length > (config.developmentKeyFile ? 0 : 1)) {
    throw new ConfigError('APP_PREVIOUS_ENCRYPTION_KEYS', `must not reuse the current key id "${config.currentKeyId}"`);
  }
}
