import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../../src/config.js';

const key = randomBytes(32).toString('base64');
const dataDir = () => mkdtempSync(join(tmpdir(), 'cfg-'));

describe('config', () => {
  it('when nothing is configured, then it starts on 127.0.0.1:4000 with a generated 0600 key and loud warnings', () => {
    const dir = dataDir();
    const config = loadConfig({ APP_DATA_DIR: dir });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4000);
    assert.equal(config.rootUrl, 'http://127.0.0.1:4000');
    assert.equal(config.jwtSecret, undefined);
    assert.equal(statSync(join(dir, 'encryption.key')).mode & 0o777, 0o600);
    assert.equal(config.encryptionKeys[0]?.key.length, 32);
    assert.equal(config.warnings.length, 3);
    assert.equal(config.mattermostUrl, undefined);
    assert.equal(config.allowPrivateNetwork, false);
    assert.ok(Object.isFrozen(config));
  });

  it('when started twice without a key, then the same development key is reused', () => {
    const dir = dataDir();
    const first = loadConfig({ APP_DATA_DIR: dir }).encryptionKeys[0]!.key;
    assert.deepEqual(loadConfig({ APP_DATA_DIR: dir }).encryptionKeys[0]!.key, first);
    assert.ok(readFileSync(join(dir, 'encryption.key'), 'utf8').trim().length > 40);
  });

  it('when everything is configured, then the values are typed and no warning is given', () => {
    const config = loadConfig({ PORT: '4100', APP_ROOT_URL: 'https://app.example.com/', APP_JWT_SECRET: 's'.repeat(32), APP_MATTERMOST_URL: 'https://mm.example.com/', APP_ENCRYPTION_KEY: key, APP_ENCRYPTION_KEY_ID: 'k2', APP_PREVIOUS_ENCRYPTION_KEYS: `k1:${key}`, APP_HTTP_TIMEOUT_MS: '2500', APP_LOG_LEVEL: 'warn' });
    assert.equal(config.port, 4100);
    assert.equal(config.rootUrl, 'https://app.example.com');
    assert.equal(config.currentKeyId, 'k2');
    assert.deepEqual(config.encryptionKeys.map((k) => k.id), ['k2', 'k1']);
    assert.equal(config.httpTimeoutMs, 2500);
    assert.equal(config.mattermostUrl, 'https://mm.example.com');
    assert.deepEqual(config.warnings, []);
  });

  for (const [variable, value, message] of [
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between/],
    ['APP_ROOT_URL', 'not a url', /APP_ROOT_URL must be an absolute URL/],
    ['APP_ROOT_URL', 'ftp://x', /APP_ROOT_URL must use http or https/],
    ['APP_ENCRYPTION_KEY', 'c2hvcnQ=', /APP_ENCRYPTION_KEY must be 32 bytes/],
    ['APP_PREVIOUS_ENCRYPTION_KEYS', 'nocolon', /APP_PREVIOUS_ENCRYPTION_KEYS must be a list/],
    ['APP_LOG_LEVEL', 'loud', /APP_LOG_LEVEL must be debug, info, warn or error/],
    ['APP_HTTP_TIMEOUT_MS', '5', /APP_HTTP_TIMEOUT_MS must be between/],
  ] as const) {
    it(`when ${variable}=${value}, then it stops with a message naming ${variable}`, () => {
      assert.throws(() => loadConfig({ APP_ENCRYPTION_KEY: key, [variable]: value }), (err: unknown) => err instanceof ConfigError && err.variable === variable && message.test(err.message));
    });
  }

  it('when listening on all interfaces without APP_ROOT_URL, then a warning says to set it', () => {
    const config = loadConfig({ HOST: '0.0.0.0', APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: 's'.repeat(32), APP_MATTERMOST_URL: 'https://mm.example.com' });
    assert.equal(config.warnings.length, 1);
    assert.match(config.warnings[0]!, /APP_ROOT_URL is not set and HOST=0\.0\.0\.0/);
  });

  it('when APP_JWT_SECRET is shorter than 32 bytes, then it stops naming the variable and how to generate one', () => {
    assert.throws(() => loadConfig({ APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: 'x'.repeat(31) }), (err: unknown) => err instanceof ConfigError && err.variable === 'APP_JWT_SECRET' && /at least 32 bytes.*openssl rand/.test(err.message) && !err.message.includes('x'.repeat(31)));
  });

  it('when HOST is not loopback and APP_JWT_SECRET or APP_MATTERMOST_URL is missing, then it refuses to start', () => {
    const strict = { HOST: '0.0.0.0', APP_ENCRYPTION_KEY: key, APP_ROOT_URL: 'https://app.example.com' };
    assert.throws(() => loadConfig({ ...strict, APP_MATTERMOST_URL: 'https://mm.example.com' }), (err: unknown) => err instanceof ConfigError && err.variable === 'APP_JWT_SECRET' && /APP_ALLOW_UNAUTHENTICATED_CALLS/.test(err.message));
    assert.throws(() => loadConfig({ ...strict, APP_JWT_SECRET: 's'.repeat(32) }), (err: unknown) => err instanceof ConfigError && err.variable === 'APP_MATTERMOST_URL');
    const optedOut = loadConfig({ ...strict, APP_MATTERMOST_URL: 'https://mm.example.com', APP_ALLOW_UNAUTHENTICATED_CALLS: 'true' });
    assert.equal(optedOut.allowUnauthenticatedCalls, true);
    assert.equal(optedOut.jwtSecret, undefined);
  });

  it('when APP_ALLOW_PRIVATE_NETWORK is true, then it is on; a value other than true/false stops', () => {
    assert.equal(loadConfig({ APP_ENCRYPTION_KEY: key, APP_ALLOW_PRIVATE_NETWORK: 'true' }).allowPrivateNetwork, true);
    assert.throws(() => loadConfig({ APP_ENCRYPTION_KEY: key, APP_ALLOW_PRIVATE_NETWORK: 'yes' }), (err: unknown) => err instanceof ConfigError && err.variable === 'APP_ALLOW_PRIVATE_NETWORK');
  });

  it('when a bad key is rejected, then the message does not echo the key', () => {
    const secretish = Buffer.from('not-32-bytes-but-secret').toString('base64');
    assert.throws(() => loadConfig({ APP_ENCRYPTION_KEY: secretish }), (err: Error) => !err.message.includes(secretish));
  });
});
