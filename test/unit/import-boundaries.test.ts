/**
 * The rooms' import boundaries (docs/architecture.md) and the floating-promise rule really fail `npm run lint`, with
 * a message that says what to do; the same code in a room that may have it passes.
 */

import { lint, type Snippet } from '../support/lint';

// Each snippet gets a file of its own: ESLint's type information is per file, so two snippets at one path collide.
let snippets = 0;
const importing = (filePath: string, from: string): Snippet => ({
  filePath: filePath.replace(/example\.ts$/, `example${++snippets}.ts`),
  code: `import * as m from '${from}';\nexport const x = m;`,
});
const refused = (filePath: string, from: string, message: RegExp) => ({
  snippet: importing(filePath, from),
  rule: 'import/no-restricted-paths' as string | undefined,
  message,
});
const allowed = (filePath: string, from: string) => ({
  snippet: importing(filePath, from),
  rule: undefined as string | undefined,
});

const CASES: { snippet: Snippet; rule: string | undefined; message?: RegExp }[] = [
  refused('starter/example.ts', '../test/support/orders', /Only tests import test\//),
  allowed('test/example.ts', './support/orders'),
  refused('domain/example.ts', '../config/settings', /domain\/ is pure/),
  refused('activities/example.ts', '../client/follow-order', /must not import the hosts or the tools/),
  refused('client/example.ts', '../worker/worker-options', /client\/ starts and follows orders for every tool/),
  refused('machinery/bench/example.ts', '../../demo/main', /Entry points are not libraries/),
  // The story never imports the machinery or the presenter's rooms.
  refused('starter/example.ts', '../machinery/plumbing/wait-for', /The story never imports the machinery/),
  refused('lambda/example.ts', '../machinery/lambda-entry/compile-cache', /The story never imports the machinery/),
  refused('worker/example.ts', '../console/cost', /The story never imports the machinery or the presenter/),
  refused('client/example.ts', '../cost/amounts', /The story never imports/),
  allowed('lambda/example.ts', '../config/settings'),
  // The machinery's floors: each imports only the floors below it.
  refused('machinery/plumbing/example.ts', '../lambda-local/settings', /plumbing stands below .*lambda-local/),
  refused('machinery/lambda-entry/example.ts', '../lambda-local/settings', /lambda-entry stands below/),
  refused('machinery/lambda-local/example.ts', '../devstack/stage', /lambda-local stands below .*devstack/),
  refused('machinery/deployment/example.ts', '../devstack/stage', /deployment stands below .*devstack/),
  refused('machinery/devstack/example.ts', '../chaos/random', /devstack stands below .*chaos/),
  refused('machinery/devstack/example.ts', '../../console/cost', /devstack stands below .*presenter's rooms/),
  allowed('machinery/devstack/example.ts', '../lambda-local/settings'),
  allowed('machinery/deployment/example.ts', '../../lambda/build-info'),
  // The tools on top, and the presenter's rooms.
  refused('machinery/chaos/example.ts', '../bench/stats', /chaos uses the story and the stack, not the bench/),
  refused('machinery/bench/example.ts', '../chaos/random', /bench and chaos are separate tools/),
  allowed('machinery/bench/example.ts', '../../console/cost'),
  refused('cost/example.ts', '../console/cost', /cost\/ is the model the console and the demo show/),
  refused('console/example.ts', '../demo/narrator', /The console runs on its own/),
  allowed('demo/example.ts', '../machinery/devstack/stage'),
  {
    snippet: {
      filePath: 'demo/example-floating.ts',
      code: 'async function later(): Promise<void> {}\nexport function now(): void {\n  later();\n}',
    },
    rule: '@typescript-eslint/no-floating-promises',
  },
  {
    snippet: {
      filePath: 'demo/example-awaited.ts',
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
  // One rule, perhaps from more than one zone (client/ is both story and core): the expected words among them.
  expect([...new Set(messages.map((m) => m.ruleId))]).toEqual([rule]);
  if (message) expect(messages.map((m) => m.message)).toContainEqual(expect.stringMatching(message));
});
