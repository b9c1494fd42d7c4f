/**
 * The rooms' import boundaries (docs/architecture.md) and the floating-promise rule really fail `npm run lint`, with
 * a message that says what to do; the same code in a room that may have it passes.
 */

import { lint, type Snippet } from '../support/lint';

const CASES: { snippet: Snippet; rule: string | undefined; message?: RegExp }[] = [
  {
    snippet: {
      filePath: 'starter/example.ts',
      code: "import { testOrder } from '../test/support/orders';\nexport const x = testOrder;",
    },
    rule: 'import/no-restricted-paths',
    message: /Only tests import test\//,
  },
  {
    snippet: {
      filePath: 'test/example.ts',
      code: "import { testOrder } from './support/orders';\nexport const x = testOrder;",
    },
    rule: undefined,
  },
  {
    snippet: {
      filePath: 'domain/example.ts',
      code: "import { TASK_QUEUE } from '../config/settings';\nexport const x = TASK_QUEUE;",
    },
    rule: 'import/no-restricted-paths',
    message: /domain\/ is pure/,
  },
  {
    snippet: {
      filePath: 'activities/example.ts',
      code: "import { followOrder } from '../client/follow-order';\nexport const x = followOrder;",
    },
    rule: 'import/no-restricted-paths',
    message: /must not import the hosts or the tools/,
  },
  {
    snippet: {
      filePath: 'client/example.ts',
      code: "import { waitFor } from '../devstack/wait-for';\nexport const x = waitFor;",
    },
    rule: 'import/no-restricted-paths',
    message: /client\/ starts and follows orders for every tool/,
  },
  {
    snippet: { filePath: 'bench/example.ts', code: "import '../demo/main';\nexport const x = 1;" },
    rule: 'import/no-restricted-paths',
    message: /Entry points are not libraries/,
  },
  {
    snippet: {
      filePath: 'demo/example.ts',
      code: 'async function later(): Promise<void> {}\nexport function now(): void {\n  later();\n}',
    },
    rule: '@typescript-eslint/no-floating-promises',
  },
  {
    snippet: {
      filePath: 'demo/example.ts',
      code: 'async function later(): Promise<void> {}\nexport function now(): void {\n  void later();\n}',
    },
    rule: undefined,
  },
];

let found: { ruleId: string | null; message: string }[][];
beforeAll(async () => {
  found = (await lint(CASES.map((c) => c.snippet))).map((r) => r.messages);
}, 120_000);

test.each(
  CASES.map((c, index) => [c.snippet.filePath, c.snippet.code.split('\n')[0], c.rule ?? 'nothing', index] as const),
)('%s: %s -> %s', (_file, _code, _rule, index) => {
  const { rule, message } = CASES[index];
  const messages = found[index];
  if (!rule) return expect(messages).toEqual([]);
  expect(messages.map((m) => m.ruleId)).toEqual([rule]);
  if (message) expect(messages[0].message).toMatch(message);
});
