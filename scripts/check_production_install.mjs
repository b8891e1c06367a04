// Checks that a production install runs setup through the package's bin: the
// tracked files copied to a temporary folder, `npm ci --omit=dev` there (no
// tsx, no TypeScript), dist/ and the library packages' dist/ built from this
// checkout copied in (the service loads the engine, the driver and the token
// client through their workspace links), then
// `npx oauth2-connect setup --check` against a Mattermost address where
// nothing answers must fail with setup's own message, not a missing module.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function must(label, { code, out }) {
  if (code !== 0) fail(`${label} failed (exit ${code}):\n${out}`);
}

function fail(message) {
  console.error(`check_production_install: ${message}`);
  process.exit(1);
}

/** A local port where nothing listens: bound, then released. */
async function closedPort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

const work = mkdtempSync(join(tmpdir(), 'oauth2-connect-prod-'));
try {
  console.log(`[prod] npm run build in ${root}`);
  must('npm run build', run(npm, ['run', 'build'], { cwd: root }));
  const tracked = run('git', ['ls-files', '-z'], { cwd: root });
  must('git ls-files', tracked);
  for (const file of tracked.out.split('\0').filter((f) => f && existsSync(join(root, f)))) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    cpSync(join(root, file), join(work, file));
  }
  console.log(`[prod] npm ci --omit=dev in ${work} (better-sqlite3 may compile: a minute or two)`);
  must('npm ci --omit=dev', run(npm, ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: work }));
  if (existsSync(join(work, 'node_modules/tsx'))) fail('tsx is installed: the install was not production-only');

  const port = await closedPort();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, APP_MATTERMOST_URL: `http://127.0.0.1:${port}`, MM_ADMIN_TOKEN: 'not-a-real-token' };
  const setupCheck = () => run(npx, ['oauth2-connect', 'setup', '--check'], { cwd: work, env: { ...env, APP_DATA_DIR: join(work, '.data') } });

  console.log('[prod] without dist/: the bin says the service is not built');
  const unbuilt = setupCheck();
  if (unbuilt.code !== 2 || !unbuilt.out.includes('dist/hosts/standalone/setup/cli.js is missing: the service is not built')) {
    fail(`without dist/, expected exit 2 and "is missing: the service is not built", got exit ${unbuilt.code}:\n${unbuilt.out}`);
  }

  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const built of ['dist', ...workspaces.map((dir) => `${dir}/dist`)]) cpSync(join(root, built), join(work, built), { recursive: true });
  console.log(`[prod] npx oauth2-connect setup --check against http://127.0.0.1:${port}, where nothing answers`);
  const checked = setupCheck();
  if (/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/.test(checked.out)) fail(`a module is missing in the production install:\n${checked.out}`);
  const expected = `Setup stopped: cannot reach Mattermost at http://127.0.0.1:${port}`;
  if (checked.code !== 1 || !checked.out.includes(expected)) fail(`expected exit 1 and "${expected}", got exit ${checked.code}:\n${checked.out}`);
  console.log(`[prod] ok: ${checked.out.trim().split('\n').at(-1)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
