// Builds the webapp bundle and packs the plugin the way a Mattermost server takes
// it through System Console → Plugins or POST /api/v4/plugins: a .tar.gz whose
// single top folder is named after the plugin id and holds plugin.json and the
// bundle at the path plugin.json names.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'plugin.json'), 'utf8'));
const bundlePath = manifest.webapp?.bundle_path;
if (!manifest.id || !manifest.version || !bundlePath) {
  console.error('plugin.json needs id, version and webapp.bundle_path');
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, 'node_modules/webpack-cli/bin/cli.js'), '--config', 'webpack.config.js'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
if (!existsSync(join(root, bundlePath))) {
  console.error(`the build did not produce ${bundlePath}`);
  process.exit(1);
}

const staging = mkdtempSync(join(tmpdir(), 'plugin-dist-'));
try {
  const top = join(staging, manifest.id);
  mkdirSync(dirname(join(top, bundlePath)), { recursive: true });
  cpSync(join(root, 'plugin.json'), join(top, 'plugin.json'));
  cpSync(join(root, bundlePath), join(top, bundlePath));

  mkdirSync(join(root, 'dist'), { recursive: true });
  const file = join(root, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
  // portable: no uid/gid or owner names from this machine in the archive.
  await tar.create({ gzip: true, file, cwd: staging, portable: true }, [manifest.id]);

  const entries = [];
  await tar.list({ file, onReadEntry: (entry) => entries.push(entry.path) });
  console.log(`packed ${file}\n  ${entries.join('\n  ')}`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
