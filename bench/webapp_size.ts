/** The webapp bundle, built fresh: minified and gzip sizes (as scripts/size.mjs measures them). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** scripts/size.mjs's budget: the bundle loads on every Mattermost page view. */
export const BUNDLE_BUDGET_BYTES = 40 * 1024;

export interface BundleReport {
  minifiedBytes: number;
  gzipBytes: number;
  budgetBytes: number;
}

export function webappSize(root: string): BundleReport {
  const built = spawnSync('npm', ['run', '--silent', 'build:webapp'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:webapp failed:\n${built.stdout}${built.stderr}`);
  const code = readFileSync(`${root}/webapp/dist/main.js`);
  return { minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, budgetBytes: BUNDLE_BUDGET_BYTES };
}
