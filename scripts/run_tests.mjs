// Runs node's built-in test runner over the TypeScript test files of the named
// suites (folders under test/). The files are listed here rather than given to
// --test as globs, so the run first says how many it found.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2);
if (suites.length === 0) {
  console.error('usage: node scripts/run_tests.mjs <suite> [<suite> ...]');
  process.exit(2);
}

function testFiles(dir) {
  let found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(testFiles(path));
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) found.push(path);
  }
  return found;
}

const files = suites.flatMap((suite) => testFiles(join('test', suite)));
if (files.length === 0) {
  console.error(`no test files in ${suites.join(', ')}`);
  process.exit(1);
}
console.log(`running ${files.length} test files from ${suites.join(', ')}`);
const reporter = process.env.TEST_REPORTER ?? 'spec';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(result.status ?? 1);
