// Prints the webapp bundle's size, minified and gzipped, and fails when the
// minified size passes the budget: the bundle loads on every Mattermost page view.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 40 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'webapp/dist/main.js');

if (!existsSync(bundle)) {
  console.error('webapp/dist/main.js is missing: run `npm run build:webapp` first');
  process.exit(1);
}
const code = readFileSync(bundle);
const gzipped = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`webapp/dist/main.js: ${kb(code.length)} minified (${code.length} bytes), ${kb(gzipped)} gzip (${gzipped} bytes)`);
if (code.length > BUDGET_BYTES) {
  console.error(`over budget: ${kb(code.length)} > ${kb(BUDGET_BYTES)} minified`);
  process.exit(1);
}
console.log(`within the ${kb(BUDGET_BYTES)} budget`);
