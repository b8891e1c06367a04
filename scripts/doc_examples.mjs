// The TypeScript examples of the documents (README.md, docs/*.md and each
// package's README.md), for the test that type-checks and runs them
// (test/unit/library/docs_examples.test.ts) and for the check of the packed
// packages (scripts/check_packages.mjs). A block is fenced ```ts (runs as it
// is, with no server) or ```ts driven (exports functions that the test calls
// against a real provider or Apps plugin). Any other info string on a ts
// fence is refused, so no block escapes the type check.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FENCE = /^```(ts|typescript|tsx)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;

/** The documents that hold examples, relative to the repository. */
export function exampleDocuments(root) {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  const packages = readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`);
  return ['README.md', ...docs, ...packages];
}

/** Every ts block: { doc, index, line, mode: 'run' | 'driven', code, name }. Throws on an unknown fence. */
export function docExamples(root) {
  const examples = [];
  for (const doc of exampleDocuments(root)) {
    const text = readFileSync(join(root, doc), 'utf8');
    let index = 0;
    for (const match of text.matchAll(FENCE)) {
      const line = text.slice(0, match.index).split('\n').length;
      const tag = match[2].trim();
      if (match[1] !== 'ts' || (tag !== '' && tag !== 'driven')) {
        throw new Error(`${doc}:${line}: a TypeScript example is fenced \`\`\`ts or \`\`\`ts driven, not \`\`\`${match[1]} ${tag}`.trimEnd());
      }
      index += 1;
      const name = `${doc.replace(/[^A-Za-z0-9]+/g, '_')}_${index}`;
      examples.push({ doc, index, line, mode: tag === 'driven' ? 'driven' : 'run', code: match[3], name });
    }
  }
  return examples;
}
