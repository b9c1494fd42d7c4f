// Lint rules. The one that matters most: workflow code must stay deterministic, so workflows/ (and the pure
// modules it imports) may import only @temporalio/workflow and plain shared code: no Node built-ins, no
// activity implementations, no other SDK packages.
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
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
      group: [
        '**/activities',
        '**/activities/**',
        '**/worker',
        '**/worker/**',
        '**/lambda/**',
        '**/starter/**',
        '**/scripts/**',
        '**/devstack/**',
        '**/deployment/**',
      ],
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

// Which room may import which (docs/architecture.md): libraries never reach into tests or entry points, the pure
// core never reaches out to the processes that host it.
const ENTRY_POINTS = ['./**/main.ts', './scripts/**'];
// Everything outside the core (domain/, config/, workflows/, activities/) and client/.
const HOSTS_AND_TOOLS = [
  './worker',
  './lambda',
  './lambda-local',
  './starter',
  './demo',
  './chaos',
  './bench',
  './console',
  './cost',
  './devstack',
  './deployment',
];
const boundaries = [
  {
    target: './lambda-local',
    from: ['./starter', './client', './console', './demo', './chaos', './bench', './worker'],
    message:
      'lambda-local stands in for AWS: it may use devstack/, deployment/ and lambda/, never the tools that use it.',
  },
  {
    target: './!(test)/**',
    from: './test',
    message: 'Only tests import test/: move what a tool needs out of test/support.',
  },
  {
    target: './!(test)/**',
    from: ENTRY_POINTS,
    message: 'Entry points are not libraries: move the shared code into a module they both import.',
  },
  {
    target: './domain',
    from: './!(domain)/**',
    message: 'domain/ is pure: it imports only domain/ (its callers pass everything else in).',
  },
  {
    target: './activities',
    from: [...HOSTS_AND_TOOLS, './client', './scripts'],
    message: 'Activities are the core: they must not import the hosts or the tools that run them.',
  },
  {
    target: './client',
    from: HOSTS_AND_TOOLS,
    message:
      'client/ starts and follows orders for every tool: it imports only the core (domain/, config/, workflows/).',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.tools/', 'coverage/', 'test/replay/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { console: 'readonly', process: 'readonly' },
      // Type information for the rules that need it (a promise nobody awaits is a failure nobody sees).
      // (`*/example.ts`: the snippets the lint tests check, which exist only in memory)
      parserOptions: {
        projectService: { allowDefaultProject: ['*/example.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: {
      'import/no-restricted-paths': ['error', { zones: boundaries }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
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
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        exports: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
