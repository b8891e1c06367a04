/**
 * Start-up's half of the encryption key: when APP_ENCRYPTION_KEY is not set,
 * the configuration names a file, and this creates the key there once (mode
 * 0600, folder 0700) and reads it back on later starts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, type Config } from './index.js';
import { DEVELOPMENT_KEY_ID, keyMaterial } from './keys.js';

/** The configuration with the development key as its current key, or unchanged when a key is configured. */
export function withDevelopmentKey(config: Readonly<Config>): Readonly<Config> {
  const file = config.developmentKeyFile;
  if (file === undefined) return config;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  const key = keyMaterial(readFileSync(file, 'utf8').trim());
  if (!key) throw new ConfigError(file, 'must hold 32 bytes encoded in base64; delete it to generate a new development key');
  return Object.freeze({ ...config, encryptionKeys: [{ id: DEVELOPMENT_KEY_ID, key }, ...config.encryptionKeys], currentKeyId: DEVELOPMENT_KEY_ID });
}
