import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CALL_EXPAND } from '../../../src/hosts/apps/protocol/expand.js';
import { MANIFEST } from '../../../src/hosts/apps/protocol/manifest.js';
import { routes } from '../../../src/hosts/apps/calls/routes.js';
import { startApp, type RunningApp } from '../../support/app_server.js';

const readJson = (name: string) => JSON.parse(readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8'));
const file = readJson('manifest.json');
const packageVersion: string = readJson('package.json').version;

/** Every `path` anywhere in the manifest: the calls the Apps plugin will make. */
function callPaths(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'path' && typeof inner === 'string' ? [inner] : callPaths(inner)));
}

describe('manifest.json', () => {
  it('when its call paths are listed, then each one is in the route table', () => {
    const paths = callPaths(file);
    assert.deepEqual(paths.sort(), ['/bindings', '/install', '/oauth2/complete', '/oauth2/connect']);
    for (const path of paths) assert.ok(routes.has(path), `${path} has no handler`);
  });

  it('when the versions are compared, then manifest.json and plugin.json say package.json version', () => {
    assert.equal(file.version, `v${packageVersion}`);
    assert.equal(readJson('plugin.json').version, packageVersion);
    assert.equal(MANIFEST.version, file.version);
  });

  it('when the OAuth2 calls expand, then they ask for what the handlers read (CALL_EXPAND)', () => {
    assert.deepEqual(file.get_oauth2_connect_url.expand, CALL_EXPAND);
    assert.deepEqual(file.on_oauth2_complete.expand, CALL_EXPAND);
  });

  it("when the bindings call expands, then it carries the user's token as well, which copying the user to the standalone host reads with", () => {
    assert.deepEqual(file.bindings.expand, CALL_EXPAND);
  });

  describe('served', () => {
    let app: RunningApp;
    before(async () => {
      app = await startApp();
    });
    after(() => app.close());

    it('when fetched, then it is manifest.json with root_url and use_jwt from the configuration', async () => {
      const served = (await (await fetch(`${app.url}/manifest.json`)).json()) as Record<string, unknown>;
      const { http, ...rest } = served;
      assert.deepEqual(rest, file);
      assert.deepEqual(http, { root_url: app.config.rootUrl, use_jwt: true });
    });
  });
});
