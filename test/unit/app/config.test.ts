import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, withServedHosts } from '../../../src/config/index.js';
import { withDevelopmentKey } from '../../../src/config/development_key.js';

const key = randomBytes(32).toString('base64');
const secret = randomBytes(32).toString('base64');
const dataDir = () => mkdtempSync(join(tmpdir(), 'cfg-'));
/** The configuration as the service runs it with both hosts (APP_HOSTS unset and no setup record, or APP_HOSTS naming both). */
const servedBoth = (env: Record<string, string | undefined>) => withServedHosts(loadConfig(env), ['apps', 'standalone']);
const isConfigError = (variable: string, message: RegExp) => (err: unknown) =>
  err instanceof ConfigError && err.variable === variable && message.test(err.message);

describe('config', () => {
  it('when nothing is configured, then it loads 127.0.0.1:4000 with loud warnings and writes no file', () => {
    const dir = dataDir();
    const config = servedBoth({ APP_DATA_DIR: dir });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4000);
    assert.equal(config.rootUrl, 'http://127.0.0.1:4000');
    assert.equal(config.jwtSecret, undefined);
    assert.equal(config.mattermostUrl, undefined);
    assert.equal(config.allowPrivateNetwork, false);
    assert.equal(config.developmentKeyFile, join(dir, 'encryption.key'));
    assert.equal(existsSync(join(dir, 'encryption.key')), false, 'loading the configuration writes nothing');
    assert.deepEqual(config.encryptionKeys, []);
    assert.deepEqual(
      config.warnings.map((w) => w.split(' ')[0]),
      ['APP_MATTERMOST_URL', 'APP_ENCRYPTION_KEY', 'APP_JWT_SECRET'],
    );
    assert.ok(Object.isFrozen(config));
  });

  it('when start-up adds the development key, then it is created 0600 once and reused', () => {
    const dir = dataDir();
    const first = withDevelopmentKey(servedBoth({ APP_DATA_DIR: dir }));
    assert.equal(statSync(join(dir, 'encryption.key')).mode & 0o777, 0o600);
    assert.equal(first.currentKeyId, 'dev');
    assert.equal(first.encryptionKeys[0]?.key.length, 32);
    assert.ok(Object.isFrozen(first));
    const second = withDevelopmentKey(servedBoth({ APP_DATA_DIR: dir }));
    assert.deepEqual(second.encryptionKeys[0]!.key, first.encryptionKeys[0]!.key);
    assert.ok(readFileSync(join(dir, 'encryption.key'), 'utf8').trim().length > 40);
  });

  it('when everything is configured, then the values are typed and no warning is given', () => {
    const config = servedBoth({
      PORT: '4100',
      APP_ROOT_URL: 'https://app.example.com/',
      APP_MATTERMOST_URL: 'https://mm.example.com//',
      APP_JWT_SECRET: secret,
      APP_ENCRYPTION_KEY: key,
      APP_ENCRYPTION_KEY_ID: 'k2',
      APP_PREVIOUS_ENCRYPTION_KEYS: `k1:${key}`,
      APP_HTTP_TIMEOUT_MS: '2500',
      APP_LOG_LEVEL: 'warn',
      APP_ALLOW_PRIVATE_NETWORK: 'TRUE',
    });
    assert.equal(config.port, 4100);
    assert.equal(config.rootUrl, 'https://app.example.com');
    assert.equal(config.mattermostUrl, 'https://mm.example.com');
    assert.equal(config.currentKeyId, 'k2');
    assert.deepEqual(
      config.encryptionKeys.map((k) => k.id),
      ['k2', 'k1'],
    );
    assert.equal(config.httpTimeoutMs, 2500);
    assert.equal(config.allowPrivateNetwork, true);
    assert.equal(config.developmentKeyFile, undefined);
    assert.deepEqual(config.warnings, []);
  });

  for (const [variable, value, message] of [
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between/],
    ['APP_ROOT_URL', 'not a url', /APP_ROOT_URL must be an absolute URL/],
    ['APP_ROOT_URL', 'ftp://x', /APP_ROOT_URL must use http or https/],
    ['APP_MATTERMOST_URL', 'https://mm.example.com/?x=1', /APP_MATTERMOST_URL must not have a query or fragment/],
    ['APP_ENCRYPTION_KEY', 'c2hvcnQ=', /APP_ENCRYPTION_KEY must be 32 bytes/],
    ['APP_ENCRYPTION_KEY_ID', 'a b', /APP_ENCRYPTION_KEY_ID must be 1-16 characters/],
    ['APP_PREVIOUS_ENCRYPTION_KEYS', 'nocolon', /APP_PREVIOUS_ENCRYPTION_KEYS must be a list/],
    ['APP_PREVIOUS_ENCRYPTION_KEYS', `k1:${key}`, /APP_PREVIOUS_ENCRYPTION_KEYS must not reuse the current key id "k1"/],
    ['APP_LOG_LEVEL', 'loud', /APP_LOG_LEVEL must be debug, info, warn or error/],
    ['APP_HTTP_TIMEOUT_MS', '5', /APP_HTTP_TIMEOUT_MS must be between/],
    ['APP_ALLOW_PRIVATE_NETWORK', 'yes', /APP_ALLOW_PRIVATE_NETWORK must be true or false/],
    ['APP_JWT_SECRET', 's3cret', /APP_JWT_SECRET must be at least 32 bytes; generate one with `openssl rand -base64 32`/],
  ] as const) {
    it(`when ${variable}=${value}, then it stops with a message naming ${variable}`, () => {
      assert.throws(() => servedBoth({ APP_ENCRYPTION_KEY: key, [variable]: value }), isConfigError(variable, message));
    });
  }

  it('when a long APP_MATTERMOST_URL ends in many slashes, then they are trimmed quickly', () => {
    const started = performance.now();
    const config = servedBoth({ APP_ENCRYPTION_KEY: key, APP_MATTERMOST_URL: `https://mm.example.com${'/'.repeat(100_000)}` });
    assert.equal(config.mattermostUrl, 'https://mm.example.com');
    assert.ok(performance.now() - started < 500);
  });

  it('when listening on all interfaces without APP_ROOT_URL, then a warning says to set it', () => {
    const config = servedBoth({ HOST: '0.0.0.0', APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: secret, APP_MATTERMOST_URL: 'https://mm.example.com' });
    assert.equal(config.warnings.length, 1);
    assert.match(config.warnings[0]!, /APP_ROOT_URL is not set and HOST=0\.0\.0\.0/);
  });

  for (const host of ['0.0.0.0', '10.1.2.3', '::', 'app.example.com']) {
    it(`when HOST=${host} (not loopback) without APP_MATTERMOST_URL, then it stops asking for the Site URL`, () => {
      assert.throws(
        () => servedBoth({ HOST: host, APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: secret }),
        isConfigError('APP_MATTERMOST_URL', /Mattermost Site URL/),
      );
    });

    it(`when HOST=${host} (not loopback) without APP_JWT_SECRET, then it stops unless unauthenticated calls are allowed`, () => {
      const env = { HOST: host, APP_ENCRYPTION_KEY: key, APP_MATTERMOST_URL: 'https://mm.example.com', APP_ROOT_URL: 'https://app.example.com' };
      assert.throws(() => servedBoth(env), isConfigError('APP_JWT_SECRET', /openssl rand -base64 32.*APP_ALLOW_UNAUTHENTICATED_CALLS=true/));
      const allowed = servedBoth({ ...env, APP_ALLOW_UNAUTHENTICATED_CALLS: 'true' });
      assert.equal(allowed.allowUnauthenticatedCalls, true);
      assert.match(allowed.warnings.join('\n'), /APP_JWT_SECRET is not set/);
    });
  }

  // Behind a reverse proxy the service listens on 127.0.0.1 and is public through APP_ROOT_URL.
  for (const rootUrl of ['https://connect.example.com', 'http://10.0.0.5:4000', 'http://[2001:db8::1]:4000']) {
    it(`when HOST is loopback but APP_ROOT_URL=${rootUrl} is not, then it stops without APP_MATTERMOST_URL or APP_JWT_SECRET, naming APP_ROOT_URL`, () => {
      const env = { APP_ENCRYPTION_KEY: key, APP_ROOT_URL: rootUrl };
      assert.throws(
        () => servedBoth({ ...env, APP_JWT_SECRET: secret }),
        isConfigError('APP_MATTERMOST_URL', /when APP_ROOT_URL=\S+ is not a loopback address/),
      );
      assert.throws(
        () => servedBoth({ ...env, APP_MATTERMOST_URL: 'https://mm.example.com' }),
        isConfigError('APP_JWT_SECRET', /when APP_ROOT_URL=\S+ is not a loopback address.*APP_ALLOW_UNAUTHENTICATED_CALLS=true/),
      );
      assert.deepEqual(servedBoth({ ...env, APP_JWT_SECRET: secret, APP_MATTERMOST_URL: 'https://mm.example.com' }).warnings, []);
    });
  }

  it('when only the standalone host is served (APP_HOSTS=standalone), then APP_JWT_SECRET is neither required nor warned about, though the service is public', () => {
    const env = { APP_ENCRYPTION_KEY: key, APP_ROOT_URL: 'https://connect.example.com', APP_MATTERMOST_URL: 'https://mm.example.com' };
    assert.throws(() => servedBoth(env), isConfigError('APP_JWT_SECRET', /not a loopback address/));
    const standaloneOnly = servedBoth({ ...env, APP_HOSTS: 'standalone' });
    assert.deepEqual(standaloneOnly.hosts, ['standalone']);
    assert.deepEqual(standaloneOnly.warnings, []);
  });

  it('when HOST and APP_ROOT_URL are both loopback, then a missing APP_MATTERMOST_URL or APP_JWT_SECRET only warns', () => {
    const config = servedBoth({ APP_ENCRYPTION_KEY: key, APP_ROOT_URL: 'http://localhost:4000' });
    assert.deepEqual(
      config.warnings.map((w) => w.split(' ')[0]),
      ['APP_MATTERMOST_URL', 'APP_JWT_SECRET'],
    );
  });

  describe('the Apps host on a listener of its own', () => {
    const publicStandalone = { APP_ENCRYPTION_KEY: key, APP_ROOT_URL: 'https://connect.example.com', APP_MATTERMOST_URL: 'https://mm.example.com' };

    it('when APP_APPS_PORT is unset, then there is one listener; when set, the Apps host gets 127.0.0.1 on that port and its manifest URL', () => {
      assert.equal(servedBoth({ APP_ENCRYPTION_KEY: key }).appsListener, undefined);
      assert.deepEqual(servedBoth({ APP_ENCRYPTION_KEY: key, APP_APPS_PORT: '4001' }).appsListener, {
        host: '127.0.0.1',
        port: 4001,
        rootUrl: 'http://127.0.0.1:4001',
      });
      const named = servedBoth({
        ...publicStandalone,
        APP_JWT_SECRET: secret,
        APP_APPS_PORT: '4001',
        APP_APPS_HOST: '10.0.0.5',
        APP_APPS_ROOT_URL: 'http://app.internal:4001/',
      });
      assert.deepEqual(named.appsListener, { host: '10.0.0.5', port: 4001, rootUrl: 'http://app.internal:4001' });
    });

    it('when the standalone host is public and the Apps listener is loopback, then APP_JWT_SECRET is not required (a warning)', () => {
      const config = servedBoth({ ...publicStandalone, APP_APPS_PORT: '4001' });
      assert.match(config.warnings.join('\n'), /APP_JWT_SECRET is not set/);
    });

    it('when the Apps listener is public (bind address or root URL), then APP_JWT_SECRET is required, naming that setting', () => {
      const base = { APP_ENCRYPTION_KEY: key, APP_MATTERMOST_URL: 'https://mm.example.com', APP_APPS_PORT: '4001' };
      assert.throws(
        () => servedBoth({ ...base, APP_APPS_HOST: '0.0.0.0' }),
        isConfigError('APP_JWT_SECRET', /when APP_APPS_HOST=0\.0\.0\.0 is not a loopback/),
      );
      assert.throws(
        () => servedBoth({ ...base, APP_APPS_ROOT_URL: 'https://apps.example.com' }),
        isConfigError('APP_JWT_SECRET', /when APP_APPS_ROOT_URL=https:\/\/apps\.example\.com is not a loopback/),
      );
      assert.throws(
        () => servedBoth({ APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: secret, APP_APPS_PORT: '4001', APP_APPS_ROOT_URL: 'https://apps.example.com' }),
        isConfigError('APP_MATTERMOST_URL', /when APP_APPS_ROOT_URL=https:\/\/apps\.example\.com is not a loopback/),
      );
    });

    it('when APP_APPS_HOST or APP_APPS_ROOT_URL is set without APP_APPS_PORT, or APP_HOSTS leaves out apps, then it stops naming the variable', () => {
      assert.throws(() => servedBoth({ APP_ENCRYPTION_KEY: key, APP_APPS_HOST: '10.0.0.5' }), isConfigError('APP_APPS_HOST', /APP_APPS_PORT is not/));
      assert.throws(
        () => servedBoth({ APP_ENCRYPTION_KEY: key, APP_APPS_ROOT_URL: 'http://127.0.0.1:4001' }),
        isConfigError('APP_APPS_ROOT_URL', /APP_APPS_PORT is not/),
      );
      assert.throws(
        () => servedBoth({ APP_ENCRYPTION_KEY: key, APP_APPS_PORT: '4001', APP_HOSTS: 'standalone' }),
        isConfigError('APP_APPS_PORT', /APP_HOSTS does not name apps/),
      );
      assert.throws(() => servedBoth({ APP_ENCRYPTION_KEY: key, APP_APPS_PORT: 'x' }), isConfigError('APP_APPS_PORT', /must be a whole number/));
    });
  });

  it('when APP_ACCEPT_UNBOUND_SEALED is unset, then unbound sealed values are accepted; false refuses them; another value stops naming it', () => {
    assert.equal(servedBoth({ APP_ENCRYPTION_KEY: key }).acceptUnboundSealed, true);
    assert.equal(servedBoth({ APP_ENCRYPTION_KEY: key, APP_ACCEPT_UNBOUND_SEALED: 'False' }).acceptUnboundSealed, false);
    assert.throws(
      () => servedBoth({ APP_ENCRYPTION_KEY: key, APP_ACCEPT_UNBOUND_SEALED: 'no' }),
      isConfigError('APP_ACCEPT_UNBOUND_SEALED', /must be true or false/),
    );
  });

  for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '0:0:0:0:0:0:0:1']) {
    it(`when HOST=${host} (loopback) with neither APP_MATTERMOST_URL nor APP_JWT_SECRET, then it only warns`, () => {
      const config = servedBoth({ HOST: host, APP_ENCRYPTION_KEY: key });
      assert.deepEqual(
        config.warnings.map((w) => w.split(' ')[0]),
        ['APP_MATTERMOST_URL', 'APP_JWT_SECRET'],
      );
    });
  }

  it('when a bad key or secret is rejected, then the message does not echo it', () => {
    const secretish = Buffer.from('not-32-bytes-but-secret').toString('base64');
    assert.throws(
      () => servedBoth({ APP_ENCRYPTION_KEY: secretish }),
      (err: Error) => !err.message.includes(secretish),
    );
    assert.throws(
      () => servedBoth({ APP_ENCRYPTION_KEY: key, APP_PREVIOUS_ENCRYPTION_KEYS: `old:${secretish}` }),
      (err: Error) => !err.message.includes(secretish),
    );
    assert.throws(
      () => servedBoth({ APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: 'short-secret-value' }),
      (err: Error) => !err.message.includes('short-secret-value'),
    );
  });

  it('when APP_TEAM_SYNC_SECONDS is unset, then team sync runs every 5 minutes; a value below 10 s is refused by name', () => {
    assert.equal(servedBoth({ APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: 'x'.repeat(32) }).teamSyncIntervalMs, 300_000);
    assert.equal(servedBoth({ APP_ENCRYPTION_KEY: key, APP_JWT_SECRET: 'x'.repeat(32), APP_TEAM_SYNC_SECONDS: '60' }).teamSyncIntervalMs, 60_000);
    assert.throws(() => servedBoth({ APP_ENCRYPTION_KEY: key, APP_TEAM_SYNC_SECONDS: '5' }), /APP_TEAM_SYNC_SECONDS must be between 10 and 86400/);
  });

  describe("APP_HOSTS unset: the Apps host's rules wait for the hosts the service decides to serve", () => {
    const publicService = { APP_ENCRYPTION_KEY: key, APP_ROOT_URL: 'https://connect.example.com', APP_MATTERMOST_URL: 'https://mm.example.com' };

    it('when the service is public without APP_JWT_SECRET, then the configuration still loads (setup needs no Apps secret), not chosen by APP_HOSTS', () => {
      const loaded = loadConfig(publicService);
      assert.deepEqual(loaded.hosts, ['apps', 'standalone']);
      assert.equal(loaded.hostsChosen, false);
      assert.deepEqual(loaded.warnings, []);
    });

    it('when only the standalone host is served, then APP_JWT_SECRET is neither required nor warned about; when both are, it is required', () => {
      const standaloneOnly = withServedHosts(loadConfig(publicService), ['standalone']);
      assert.deepEqual(standaloneOnly.hosts, ['standalone']);
      assert.deepEqual(standaloneOnly.warnings, []);
      assert.throws(() => withServedHosts(loadConfig(publicService), ['apps', 'standalone']), isConfigError('APP_JWT_SECRET', /not a loopback address/));
      const loopback = withServedHosts(loadConfig({ APP_ENCRYPTION_KEY: key }), ['standalone']);
      assert.doesNotMatch(loopback.warnings.join('\n'), /APP_JWT_SECRET/);
    });

    it('when APP_APPS_PORT is set but the Apps host is not served, then its listener is dropped with a warning that names APP_HOSTS', () => {
      const served = withServedHosts(loadConfig({ ...publicService, APP_APPS_PORT: '4001' }), ['standalone']);
      assert.equal(served.appsListener, undefined);
      assert.match(served.warnings.join('\n'), /APP_APPS_PORT is set but the Apps host is not served.*APP_HOSTS=apps,standalone/);
    });

    it('when APP_HOSTS is set, then the hosts served are exactly those, whatever is decided at start', () => {
      const chosen = loadConfig({ ...publicService, APP_HOSTS: 'apps,standalone', APP_JWT_SECRET: secret });
      assert.equal(chosen.hostsChosen, true);
      assert.equal(withServedHosts(chosen, ['standalone']), chosen);
    });
  });
});
