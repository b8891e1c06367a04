// Checks the library packages as an App developer gets them: `npm pack` of
// @oauth2-connect/engine, @oauth2-connect/driver and @oauth2-connect/token-client, the tarballs installed in
// an empty project (their dependencies from the registry), then every
// TypeScript example of the documents compiled there under strict TypeScript
// with skipLibCheck false against the installed declarations, and the plain
// examples run (the driven ones run in test/unit/library/docs_examples.test.ts,
// which has the servers they call). Prints the install's size and package
// count and holds them to the budget: no install scripts, no native build,
// the three together under 5 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docExamples } from './doc_examples.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Every workspace of the root package.json is a library package.
const PACKAGES = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const BUDGET_BYTES = 5 * 1024 * 1024;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}`, stdout: result.stdout ?? '' };
}

function must(label, result) {
  if (result.code !== 0) fail(`${label} failed (exit ${result.code}):\n${result.out}`);
  return result;
}

function fail(message) {
  console.error(`check_packages: ${message}`);
  process.exit(1);
}

/** Bytes of every file under dir (symbolic links not followed). */
function sizeOf(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else total += lstatSync(path).size;
  }
  return total;
}

/** Each installed package's folder (node_modules/<name> and node_modules/@scope/<name>, nested ones too). */
function installedPackages(nodeModules) {
  const found = [];
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const dir = join(nodeModules, name);
      if (!existsSync(join(dir, 'package.json'))) continue;
      found.push(dir);
      found.push(...installedPackages(join(dir, 'node_modules')));
    }
  }
  return found;
}

/** Packs one package: the tarball's path and its file list, refusing maps, sources and tests. */
function pack(dir, destination) {
  const packed = JSON.parse(must(`npm pack ${dir}`, run(npm, ['pack', '--json', '--pack-destination', destination], { cwd: join(root, dir) })).stdout)[0];
  const files = packed.files.map((f) => f.path);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
    if (!files.includes(required)) fail(`${packed.name}'s tarball lacks ${required}`);
  }
  const stray = files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.includes('test'));
  if (stray.length > 0) fail(`${packed.name}'s tarball holds ${stray.join(', ')}`);
  console.log(`[packages] ${packed.name}@${packed.version}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} kB packed`);
  return join(destination, packed.filename);
}

const work = mkdtempSync(join(tmpdir(), 'oauth2-connect-packages-'));
try {
  const tarballs = PACKAGES.map((dir) => pack(dir, work));
  const project = join(work, 'app');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module' }, null, 2));

  console.log(`[packages] npm install of the ${tarballs.length} tarballs in an empty project`);
  must('npm install', run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], { cwd: project }));
  const nodeModules = join(project, 'node_modules');
  const installed = installedPackages(nodeModules);
  const withScripts = installed.filter((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return INSTALL_SCRIPTS.some((s) => manifest.scripts?.[s]) || existsSync(join(dir, 'binding.gyp'));
  });
  const bytes = sizeOf(nodeModules);
  const names = installed.map((dir) => dir.slice(nodeModules.length + 1)).sort();
  console.log(`[packages] installed: ${(bytes / (1024 * 1024)).toFixed(2)} MB in ${installed.length} packages (${names.join(', ')})`);
  if (withScripts.length > 0) fail(`packages with install scripts or a native build: ${withScripts.join(', ')}`);
  if (bytes >= BUDGET_BYTES) fail(`the install is ${bytes} bytes, over the budget of ${BUDGET_BYTES}`);

  const examples = docExamples(root);
  for (const example of examples) writeFileSync(join(project, 'src', `${example.name}.ts`), `// ${example.doc}:${example.line}\n${example.code}`);
  const tsconfig = {
    compilerOptions: {
      strict: true,
      skipLibCheck: false,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      // TypeScript and Node's types are the repository's: the app under test installs only the packages.
      typeRoots: [join(root, 'node_modules/@types')],
      rootDir: 'src',
      outDir: 'out',
    },
    include: ['src'],
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  console.log(`[packages] tsc --strict, skipLibCheck false: ${examples.length} examples of the documents against the installed packages`);
  must('tsc', run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project }));

  for (const example of examples) {
    if (example.mode === 'driven') {
      console.log(`[packages] ${example.doc}:${example.line} compiles (its functions are called by test/unit/library/docs_examples.test.ts)`);
      continue;
    }
    const ran = run(process.execPath, [join(project, 'out', `${example.name}.js`)], { cwd: project, timeout: 60_000 });
    if (ran.code !== 0) fail(`${example.doc}:${example.line} failed (exit ${ran.code}):\n${ran.out}`);
    console.log(`[packages] ${example.doc}:${example.line} runs: ${ran.out.trim().split('\n').at(-1) ?? ''}`);
  }
  console.log('[packages] ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}
