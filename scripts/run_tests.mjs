// Runs node's built-in test runner over the TypeScript test files of the named
// suites (folders under test/). The files are listed here rather than given to
// --test as globs, so the run first says how many it found.
//
// Files run four at a time: node's default is one fewer than the cores, which is
// one file at a time on two cores, and most files spend their time waiting on a
// browser, a provider or a database rather than on the CPU. Files that share one
// outside server run one at a time: the E2E files and the scenarios on a real
// Mattermost (one server, one team), and the replicas (one PostgreSQL database
// behind one proxy). TEST_CONCURRENCY overrides both.
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
const sharesOneServer = suites.includes('e2e') || suites.includes('replicas') || process.env.SCENARIO_BACKEND === 'real';
const concurrency = process.env.TEST_CONCURRENCY ?? (sharesOneServer ? '1' : '4');
if (!/^[1-9][0-9]*$/.test(concurrency)) {
  console.error(`TEST_CONCURRENCY must be a whole number of files at a time, not "${concurrency}"`);
  process.exit(2);
}
const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-reporter=${reporter}`];
const result = spawnSync(process.execPath, [...args, ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(result.status ?? 1);
