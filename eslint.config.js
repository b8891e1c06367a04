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

const HTTP_LAYER = ['^(\\.\\./)+http/', 'Handlers do not import from the HTTP layer (src/hosts/apps/http); move the shared piece below both.'];
const CALLS = ['^(\\.\\./)+calls/', 'Stores do not import from the call handlers (src/hosts/apps/calls); put shared types in the store or below it.'];
const HOSTS = ['(^|/)hosts/', 'The core knows no host: hosts import the core, never the other way round.'];
const OTHER_HOST_APPS = ['(^|/)apps/', 'The standalone host does not import the Apps host; share through src/core.'];
const OTHER_HOST_STANDALONE = ['(^|/)standalone/', 'The Apps host does not import the standalone host; share through src/core.'];
const BENCH = ['(^|/)bench/', 'Tests do not import from bench/; shared helpers live in test/support.'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'webapp/dist/', '.data/', 'test-artifacts/'] },
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
  { files: ['src/hosts/apps/calls/**/*.ts'], rules: forbid(HTTP_LAYER) },
  { files: ['src/hosts/apps/store/**/*.ts'], rules: forbid(CALLS) },
  { files: ['src/core/**/*.ts', 'src/oauth/**/*.ts'], rules: forbid(HOSTS) },
  { files: ['src/hosts/standalone/**/*.ts'], rules: forbid(OTHER_HOST_APPS) },
  { files: ['src/hosts/apps/**/*.ts'], rules: forbid(OTHER_HOST_STANDALONE) },
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
