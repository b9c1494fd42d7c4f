/** The lint rule that keeps workflow code deterministic really rejects what it should, and the code passes it. */

import { lint } from '../support/lint';

const FORBIDDEN: [string, RegExp][] = [
  ["import fs from 'node:fs'; export const x = fs;", /Node built-ins belong in activities/],
  ["import { readFileSync } from 'fs'; export const x = readFileSync;", /Node built-ins belong in activities/],
  [
    "import { createActivities } from '../activities/create-activities'; export const x = createActivities;",
    /must not import activity or process code/,
  ],
  ["import { Client } from '@temporalio/client'; export const x = Client;", /only @temporalio\/workflow/],
  ["import { v4 } from 'uuid'; export const x = v4;", /only @temporalio\/workflow/],
  [
    "import { loadConnectionConfig } from '../config/connection'; export const x = loadConnectionConfig;",
    /only config\/settings/,
  ],
  ['export const x = process.env.HOME;', /must not read the environment/],
];
const ALLOWED = [
  "import { proxyActivities } from '@temporalio/workflow';",
  "import type { Order } from '../domain/order';",
  "import { TASK_QUEUE } from '../config/settings';",
  'export const x: [typeof proxyActivities, Order | undefined, string] = [proxyActivities, undefined, TASK_QUEUE];',
].join('\n');
const NODE_IN_ACTIVITIES = "import fs from 'node:fs'; export const x = fs;";

// Every snippet in one ESLint run: type information is built once.
let restricted: string[][];
beforeAll(async () => {
  const snippets = [
    ...FORBIDDEN.map(([code]) => ({ filePath: 'workflows/example.ts', code })),
    { filePath: 'workflows/example.ts', code: ALLOWED },
    { filePath: 'activities/example.ts', code: NODE_IN_ACTIVITIES },
  ];
  const results = await lint(snippets);
  restricted = results.map((r) =>
    r.messages.filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message),
  );
}, 120_000);

test.each(FORBIDDEN.map(([code, message], index) => [code, message, index] as const))(
  'workflow code may not: %s',
  (_code, message, index) => {
    expect(restricted[index]).toEqual([expect.stringMatching(message)]);
  },
);

test('workflow code may import @temporalio/workflow, domain types and config/settings', () => {
  expect(restricted[FORBIDDEN.length]).toEqual([]);
});

test('the same imports are fine outside workflow code', () => {
  expect(restricted[FORBIDDEN.length + 1]).toEqual([]);
});

test('the real workflow and domain code passes the rule', async () => {
  const results = await lint({ files: ['workflows', 'domain', 'config/settings.ts'] });
  expect(results.length).toBeGreaterThan(5);
  expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
}, 120_000);
