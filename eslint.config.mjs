// Lint rules. The one that matters most: workflow code must stay deterministic, so workflows/ (and the pure
// modules it imports) may import only @temporalio/workflow and plain shared code: no Node built-ins, no
// activity implementations, no other SDK packages.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const deterministicImports = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Workflow code runs in a deterministic sandbox: Node built-ins belong in activities.',
  })),
  patterns: [
    {
      group: ['**/activities', '**/activities/**', '**/worker', '**/worker/**', '**/lambda/**', '**/starter/**', '**/scripts/**'],
      message: 'Workflow code must not import activity or process code: call activities through proxyActivities.',
    },
    {
      // Any package other than @temporalio/workflow (relative imports are checked by the other rules).
      regex: '^(?!\\.|@temporalio/workflow$|node:)(?!(' + builtinModules.join('|') + ')$)',
      message: 'Workflow code may import only @temporalio/workflow and plain shared code of this project.',
    },
    {
      group: ['**/config/*', '!**/config/settings'],
      message: 'Workflow code may import only config/settings (pure constants); the rest reads the environment.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.tools/', 'coverage/', 'test/replay/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'config/settings.ts', 'bench/baseline/workflow.ts'],
    rules: {
      'no-restricted-imports': ['error', deterministicImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code must not read the environment: pass values in as input.' },
        { name: 'require', message: 'Use static imports in workflow code.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', exports: 'writable', require: 'readonly', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' },
    },
  },
);
