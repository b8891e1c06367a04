import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { APPS_REFRESH_EVENT, PLUGIN_ID, PLUGIN_NAME } from '../../../webapp/manifest.js';

const manifest = JSON.parse(readFileSync(new URL('../../../plugin.json', import.meta.url), 'utf8'));

test('when plugin.json is read, then it names the same id and name as the bundle, webapp only', () => {
  assert.equal(manifest.id, PLUGIN_ID);
  assert.equal(manifest.name, PLUGIN_NAME);
  assert.equal(manifest.min_server_version, '10.0.0');
  assert.equal(manifest.webapp.bundle_path, 'webapp/dist/main.js');
  assert.equal(manifest.server, undefined);
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
});

test('when the refresh event name is built, then it is the Apps plugin custom event', () => {
  assert.equal(APPS_REFRESH_EVENT, 'custom_com.mattermost.apps_refresh_bindings');
});
