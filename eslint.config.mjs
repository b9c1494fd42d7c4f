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
        '**/machinery/**',
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

// Which room may import which (docs/architecture.md). Three kinds of room, told apart by the path alone:
// - the story a customer came to see (STORY): the saga, its activities, the two hosts, the starter and what they
//   stand on; it never imports anything else;
// - the presenter's rooms (demo/, console/, cost/) and the entry points (scripts/, */main.ts);
// - machinery/: what runs the demo on a laptop (the local Lambda, the dev stack, packaging and deployment, bench,
//   chaos). It may import the story, never the other way; its rooms stand on floors (MACHINERY_FLOORS), each
//   importing only the floors below it, so no two rooms import each other.
const STORY = ['./domain', './config', './workflows', './activities', './client', './worker', './lambda', './starter'];
const PRESENTER = ['./demo', './console', './cost'];
const ENTRY_POINTS = ['./**/main.ts', './scripts/**'];
// Bottom floor first: a room may import the rooms before it, never the ones after it.
const MACHINERY_FLOORS = [
  './machinery/plumbing',
  './machinery/lambda-entry',
  './machinery/lambda-local',
  './machinery/deployment',
  './machinery/devstack',
];
// The tools on top: they may use every floor and the presenter's rooms they measure, not each other.
const MACHINERY_TOOLS = ['./machinery/bench', './machinery/chaos'];

const floorZones = MACHINERY_FLOORS.map((room, floor) => ({
  target: room,
  from: [...MACHINERY_FLOORS.slice(floor + 1), ...MACHINERY_TOOLS, ...PRESENTER],
  message: `${room.slice(2)} stands below ${[...MACHINERY_FLOORS.slice(floor + 1), ...MACHINERY_TOOLS]
    .map((r) => r.slice(2 + 'machinery/'.length))
    .join(', ')} and the presenter's rooms: move the shared code down a floor (machinery/README.md).`,
}));

const boundaries = [
  {
    target: STORY,
    from: ['./machinery', ...PRESENTER, './scripts'],
    message:
      "The story never imports the machinery or the presenter's rooms: pass what it needs in, or move the code into the story (machinery/README.md).",
  },
  ...floorZones,
  {
    target: MACHINERY_TOOLS[0],
    from: MACHINERY_TOOLS[1],
    message: 'bench and chaos are separate tools: move what both need down to machinery/devstack or plumbing.',
  },
  {
    target: MACHINERY_TOOLS[1],
    from: [MACHINERY_TOOLS[0], ...PRESENTER],
    message: "chaos uses the story and the stack, not the bench or the presenter's rooms.",
  },
  {
    target: './cost',
    from: ['./console', './demo'],
    message: 'cost/ is the model the console and the demo show: it must not import them.',
  },
  {
    target: './console',
    from: './demo',
    message: 'The console runs on its own (npm run console): it must not import the demo that starts it.',
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
    from: ['./worker', './lambda', './starter', './client', ...PRESENTER, './machinery', './scripts'],
    message: 'Activities are the core: they must not import the hosts or the tools that run them.',
  },
  {
    target: './client',
    from: ['./worker', './lambda', './starter', ...PRESENTER, './machinery', './scripts'],
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
      // (`*/example*.ts`: the snippets the lint tests check, which exist only in memory, one file name each)
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*/example*.ts', 'machinery/*/example*.ts'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 64,
        },
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
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'config/settings.ts', 'machinery/bench/baseline/workflow.ts'],
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
