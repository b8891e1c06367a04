// ESLint 9 flat config: typescript-eslint everywhere, the React hooks rules in
// webapp/, and the import boundaries between folders (docs/development.md, "Lint and boundaries").
// Formatting is prettier's job (npm run format:check), so no style rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** One no-restricted-imports rule from [regex, why] pairs. */
function forbid(...rules) {
  return { 'no-restricted-imports': ['error', { patterns: rules.map(([regex, message]) => ({ regex, message })) }] };
}

const HOSTS = ['(^|/)hosts/', 'The core knows no host: hosts import the core, never the other way round.'];
const PACKAGE = [
  '^(express|pg|better-sqlite3|kysely|zod|@mattermost/.+)$|(^|/)(src|hosts|core|config)/',
  'The library packages (packages/engine, packages/driver, packages/token-client) install on their own: they import no service code and none of its dependencies.',
];
const DRIVER = ['^@oauth2-connect/engine$', "The driver installs without the engine's dependencies: it does not import the engine."];
const OTHER_HOST = {
  apps: ['(^|/)standalone/', 'The Apps host does not import the standalone host; share through src/core.'],
  standalone: ['(^|/)apps/', 'The standalone host does not import the Apps host; share through src/core.'],
};
const TOKEN_CLIENT = ['^(?!\\./)', 'The token API client (@oauth2-connect/token-client) depends on nothing but fetch: it imports only its own files.'];
const BENCH = ['(^|/)bench/', 'Tests do not import from bench/; shared helpers live in test/support.'];

/**
 * Each host's folders, lowest first. A folder imports only the folders before
 * it (a folder nested in one counts as part of it) and the host's top-level
 * files, which import none of its folders: so no two folders of a host depend
 * on each other, not even through a third. A new folder takes its place here.
 */
const HOST_FOLDERS = {
  apps: ['protocol', 'store', 'calls', 'http'],
  standalone: ['db', 'trigger', 'signin', 'dialogs', 'commands', 'panel', 'admin', 'token_api', 'http', 'setup', 'operations', 'service'],
};

/** One no-restricted-imports entry per place (a later entry for the same files would replace an earlier one). */
function hostBoundaries(host, folders) {
  const top = [`^\\./(${folders.join('|')})/`, `The files at the top of src/hosts/${host} are what its folders share: they import none of them.`];
  const above = (i) => {
    const below = folders.slice(0, i);
    const allowed = below.length > 0 ? `only ${below.join(', ')} of its host's folders` : "none of its host's folders";
    return [
      `^(\\.\\./)+(${folders.slice(i + 1).join('|')})/`,
      `src/hosts/${host}/${folders[i]} imports ${allowed} and the host's top-level files: a folder above it would make the two depend on each other. Move the shared piece down.`,
    ];
  };
  return [
    { files: [`src/hosts/${host}/*.ts`], rules: forbid(OTHER_HOST[host], top) },
    ...folders.map((folder, i) => ({
      files: [`src/hosts/${host}/${folder}/**/*.ts`],
      rules: i === folders.length - 1 ? forbid(OTHER_HOST[host]) : forbid(OTHER_HOST[host], above(i)),
    })),
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'packages/*/dist/', 'webapp/dist/', '.data/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['webapp/**/*.{ts,tsx}', 'test/unit/webapp/**/*.{ts,tsx}', 'test/integration/webapp/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ['src/core/**/*.ts'], rules: forbid(HOSTS) },
  { files: ['packages/engine/src/**/*.ts'], rules: forbid(PACKAGE) },
  { files: ['packages/driver/src/**/*.ts'], rules: forbid(PACKAGE, DRIVER) },
  { files: ['packages/token-client/src/**/*.ts'], rules: forbid(PACKAGE, TOKEN_CLIENT) },
  ...hostBoundaries('apps', HOST_FOLDERS.apps),
  ...hostBoundaries('standalone', HOST_FOLDERS.standalone),
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      ...forbid(BENCH),
      // Tests read wire JSON (call bodies, Mattermost answers) and assert on its
      // shape; src/, webapp/ and bench/ keep the rule.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
