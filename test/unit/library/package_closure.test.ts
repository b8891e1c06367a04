/**
 * The library packages install and load on their own: importing the engine,
 * the driver or the token client loads none of the service's dependencies. Each import runs in a
 * fresh node with a module hook recording every module resolved, plus the
 * CommonJS cache (a CommonJS package's own require() calls bypass the hook).
 * The service's entry, imported the same way, must show those dependencies:
 * so an empty list means "not loaded", not "not seen".
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../../..');
const SERVICE_ONLY = ['express', 'pg', 'better-sqlite3', 'kysely', '@mattermost/client'];

const HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  appendFileSync(file, found.url + '\\n');
  return found;
}`;

/** Every module file that importing `entry` (a path under the repository) loads, as paths. */
function modulesLoadedBy(entry: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'closure-'));
  try {
    const log = join(dir, 'resolved.txt');
    writeFileSync(log, '');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, HOOKS);
    const script = [
      "import { register, createRequire } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      `register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { file: ${JSON.stringify(log)} } });`,
      `await import(${JSON.stringify(pathToFileURL(join(root, entry)).href)});`,
      `appendFileSync(${JSON.stringify(log)}, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n');`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test' },
      timeout: 60_000,
    });
    assert.equal(run.status, 0, `importing ${entry} failed:\n${run.stderr}`);
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^file:\/\//, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The service-only packages among the loaded modules (by their node_modules folder). */
function serviceDependencies(loaded: string[]): string[] {
  return SERVICE_ONLY.filter((name) => loaded.some((path) => path.includes(`/node_modules/${name}/`)));
}

describe('the library packages load none of the service', () => {
  it("when the service's entry is imported, then the check sees express, pg, better-sqlite3, kysely and @mattermost/client", () => {
    assert.deepEqual(serviceDependencies(modulesLoadedBy('src/index.ts')), SERVICE_ONLY);
  });

  for (const entry of ['packages/engine/src/index.ts', 'packages/driver/src/index.ts', 'packages/token-client/src/index.ts']) {
    it(`when ${entry} is imported, then none of them is loaded, nor any service file`, () => {
      const loaded = modulesLoadedBy(entry);
      assert.ok(
        loaded.some((path) => path.includes(entry)),
        `the check saw the import of ${entry} itself`,
      );
      assert.deepEqual(serviceDependencies(loaded), []);
      assert.deepEqual(
        loaded.filter((path) => path.startsWith(`${root}/src/`)),
        [],
      );
    });
  }

  for (const entry of ['packages/driver/src/index.ts', 'packages/token-client/src/index.ts']) {
    it(`when ${entry} is imported, then it loads no dependency at all, nor another package`, () => {
      // tsx, which runs the TypeScript sources here, loads esbuild: not the package's.
      const own = entry.slice(0, entry.indexOf('/src/'));
      const loaded = modulesLoadedBy(entry).filter((path) => path.startsWith('/') && !/\/node_modules\/(tsx|esbuild)\//.test(path));
      assert.ok(loaded.some((path) => path.includes(entry)));
      assert.deepEqual(
        loaded.filter((path) => path.includes('/node_modules/') || (path.includes('/packages/') && !path.includes(`/${own}/`))),
        [],
      );
    });
  }
});
