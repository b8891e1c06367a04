// Builds webapp/dist/main.js unless it is newer than every source it is made from,
// so the browser test always runs the bundle of the code under test.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BUNDLE = join(ROOT, 'webapp/dist/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }
  return newest;
}

export function ensureBundle(): void {
  const sources = Math.max(
    newestSource(join(ROOT, 'webapp')),
    newestSource(join(ROOT, 'src/hosts/apps/protocol')),
    // The bundle reads the names of the service's bot and its address prop from setup.
    statSync(join(ROOT, 'src/hosts/standalone/setup/names.ts')).mtimeMs,
    statSync(join(ROOT, 'webpack.config.js')).mtimeMs,
  );
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  const cli = join(ROOT, 'node_modules/webpack-cli/bin/cli.js');
  const result = spawnSync(process.execPath, [cli, '--config', 'webpack.config.js'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`webpack failed:\n${result.stdout}\n${result.stderr}`);
}
