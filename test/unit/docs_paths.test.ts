/**
 * The documents name files of the repository (`src/…`, `test/…`, `bench/…`,
 * `scripts/…`, `docs/…`) and link to each other; a file that moved leaves a
 * stale name behind. Every such name in every Markdown file must exist: a
 * plain path as a file or folder, a glob (`test/e2e/**\/*.test.ts`) as at
 * least one file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'test-artifacts', '.data']);
/** Written by `npm run bench`, not kept in the repository. */
const GENERATED = new Set(['bench/results.json', 'bench/profiles/']);
const PATH = /(?<![\w./-])(?:src|test|bench|scripts|docs)\/(?:[\w./*-]|\{[\w.,-]*\})*[\w*/}]/g;
const LINK = /\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g;

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

const GLOB_PARTS: Record<string, string> = { '**/': '(?:.*/)?', '*': '[^/]*' };

function globRegex(glob: string): RegExp {
  const body = glob.replace(/\*\*\/|\*|\{[^}]*\}|[.+?^$()|[\]\\]/g, (part) => {
    if (part in GLOB_PARTS) return GLOB_PARTS[part]!;
    if (part.startsWith('{')) return `(?:${part.slice(1, -1).split(',').join('|')})`;
    return `\\${part}`;
  });
  return new RegExp(`^${body}$`);
}

/** True when `path` (relative to the repository root) names something that exists. */
function pathExists(path: string): boolean {
  if (GENERATED.has(path)) return true;
  const wildcard = path.search(/[*{]/);
  if (wildcard < 0) return existsSync(join(ROOT, path));
  const base = path.slice(0, path.lastIndexOf('/', wildcard) + 1);
  const pattern = globRegex(path);
  return filesUnder(join(ROOT, base), () => true).some((file) => pattern.test(relative(ROOT, file)));
}

/** Every repository path and relative link a document names, as paths from the root. */
function namedPaths(markdown: string, documentDir: string): string[] {
  const plain = [...markdown.matchAll(PATH)].map((m) => m[0]);
  // Links are Markdown's, not code's: a fenced block may build one from variables.
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const links = [...prose.matchAll(LINK)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => relative(ROOT, resolve(documentDir, target)));
  return [...new Set([...plain, ...links])];
}

function missingIn(file: string): string[] {
  const named = namedPaths(readFileSync(file, 'utf8'), dirname(file));
  return named.filter((path) => !pathExists(path)).map((path) => `${relative(ROOT, file)}: ${path}`);
}

const documents = filesUnder(ROOT, (name) => name.endsWith('.md'));

describe('paths named in the documents', () => {
  it('when the documents are read, then they are found and name repository paths', () => {
    const names = (path: string) => documents.some((file) => relative(ROOT, file) === path);
    for (const expected of ['README.md', 'SECURITY.md', 'docs/architecture.md', 'docs/mattermost.md', 'test/e2e/README.md', 'webapp/README.md']) {
      assert.ok(names(expected), `${expected} was not read`);
    }
    const total = documents.reduce((sum, file) => sum + namedPaths(readFileSync(file, 'utf8'), dirname(file)).length, 0);
    assert.ok(total > 50, `only ${total} paths found`);
  });

  it('when a document names a missing file, a missing glob match or a broken link, then it is reported', () => {
    const sample = 'See `src/core/status.ts`, `src/core/nowhere.ts`, `test/e2e/**/*.test.ts`, `test/e2e/**/*.nothing.ts` and [x](docs/gone.md).';
    const named = namedPaths(sample, ROOT);
    assert.deepEqual(
      named.filter((path) => !pathExists(path)),
      ['src/core/nowhere.ts', 'test/e2e/**/*.nothing.ts', 'docs/gone.md'],
    );
  });

  it('when a document names a repository path or links to a file, then it exists', () => {
    assert.deepEqual(documents.flatMap(missingIn), []);
  });
});
