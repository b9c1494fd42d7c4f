/** The lint rule that keeps workflow code deterministic really rejects what it should, and the code passes it. */

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/.bin/eslint');

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

/** Runs the project's real ESLint, as `npm run lint` does, and returns its JSON report. */
async function lint(args: string[], stdin?: string): Promise<LintResult[]> {
  const running = run(ESLINT, ['--format', 'json', ...args], { cwd: ROOT });
  running.child.stdin?.end(stdin ?? '');
  const { stdout } = await running.catch((err: { stdout?: string }) => {
    if (err.stdout) return { stdout: err.stdout }; // exit 1: problems found, reported on stdout
    throw err;
  });
  return JSON.parse(stdout) as LintResult[];
}

async function restrictedIn(code: string, file = 'workflows/example.ts'): Promise<string[]> {
  const [result] = await lint(['--stdin', '--stdin-filename', file], code);
  return result.messages.filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message);
}

test.each([
  ["import fs from 'node:fs'; export const x = fs;", /Node built-ins belong in activities/],
  ["import { readFileSync } from 'fs'; export const x = readFileSync;", /Node built-ins belong in activities/],
  ["import { createActivities } from '../activities/create-activities'; export const x = createActivities;", /must not import activity or process code/],
  ["import { Client } from '@temporalio/client'; export const x = Client;", /only @temporalio\/workflow/],
  ["import { v4 } from 'uuid'; export const x = v4;", /only @temporalio\/workflow/],
  ["import { loadConnectionConfig } from '../config/connection'; export const x = loadConnectionConfig;", /only config\/settings/],
  ['export const x = process.env.HOME;', /must not read the environment/],
])('workflow code may not: %s', async (code, message) => {
  expect(await restrictedIn(code)).toEqual([expect.stringMatching(message)]);
});

test('workflow code may import @temporalio/workflow, domain types and config/settings', async () => {
  const code = [
    "import { proxyActivities } from '@temporalio/workflow';",
    "import type { Order } from '../domain/order';",
    "import { TASK_QUEUE } from '../config/settings';",
    'export const x: [typeof proxyActivities, Order | undefined, string] = [proxyActivities, undefined, TASK_QUEUE];',
  ].join('\n');
  expect(await restrictedIn(code)).toEqual([]);
});

test('the same imports are fine outside workflow code', async () => {
  expect(await restrictedIn("import fs from 'node:fs'; export const x = fs;", 'activities/example.ts')).toEqual([]);
});

test('the real workflow and domain code passes the rule', async () => {
  const results = await lint(['workflows', 'domain', 'config/settings.ts']);
  expect(results.length).toBeGreaterThan(5);
  expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
});
