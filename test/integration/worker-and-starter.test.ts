/** `npm run worker` and `npm run starter` as real processes against the dev server, the way a person runs them. */

import fs from 'node:fs';
import path from 'node:path';
import { startEntryPoint, type RunningProcess } from '../support/processes';
import { testEnv } from '../support/test-env';
import { WORKER_READY_TEXT } from '../../worker/readiness';
import { readJournalLines } from '../../machinery/devstack/run-ledger';

const WORKER_READY = new RegExp(WORKER_READY_TEXT);

let env: NodeJS.ProcessEnv;
let worker: RunningProcess | undefined;
beforeAll(() => {
  const dataDir = fs.mkdtempSync(path.join(testEnv('workDir'), 'entrypoints-'));
  env = {
    TEMPORAL_ADDRESS: testEnv('address'),
    TEMPORAL_NAMESPACE: 'default',
    SHOPFLOW_DATA_DIR: dataDir,
    SHOPFLOW_LATENCY_SCALE: '0.2',
  };
});
afterEach(() => {
  worker?.child.kill('SIGKILL');
});

test('a decline order: the worker charges, fails, releases the inventory; the starter narrates it', async () => {
  worker = startEntryPoint('worker/main.ts', [], env);
  await worker.waitFor(WORKER_READY);
  expect(worker.output()).toMatch(/Made shopflow\/v2 the Current Version|Polling task queue shopflow-orders/);

  const starter = startEntryPoint('starter/main.ts', ['--scenario', 'decline'], env);
  const { code } = await starter.exited;
  const out = starter.output();
  expect(out).toMatch(/✓ reserveInventory by local worker \(pid \d+\)/);
  expect(out).toMatch(/✗ chargeCustomer failed: card declined by the issuer/);
  expect(out).toMatch(/↺ releaseInventory: released reservation res-/);
  expect(out).toMatch(/FAILED \(as the scenario expects\)\. PaymentDeclined/);
  expect(out).toMatch(/http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/order-ord-/);
  expect(code).toBe(0);

  const journal = readJournalLines(path.join(env.SHOPFLOW_DATA_DIR!, 'journal.jsonl'));
  expect(journal.map((e) => e.effect)).toEqual(['reserve', 'refund', 'release']);
});

test('Ctrl+C drains the worker gracefully and it exits 0', async () => {
  worker = startEntryPoint('worker/main.ts', [], env);
  await worker.waitFor(WORKER_READY);
  worker.child.kill('SIGINT');
  const { code } = await worker.exited;
  expect(worker.output()).toMatch(/SIGINT: finishing in-flight tasks for up to 10 s/);
  expect(worker.output()).toMatch(/Worker stopped cleanly/);
  expect(code).toBe(0);
});

test('a second Ctrl+C during a slow activity exits at once with 130', async () => {
  worker = startEntryPoint('worker/main.ts', [], env);
  await worker.waitFor(WORKER_READY);
  const starter = startEntryPoint('starter/main.ts', ['--scenario', 'slow', '--no-wait'], env);
  expect((await starter.exited).code).toBe(0);
  await worker.waitFor(/createShipment started/);
  worker.child.kill('SIGINT');
  await worker.waitFor(/finishing in-flight tasks/);
  worker.child.kill('SIGINT');
  const { code } = await worker.exited;
  expect(worker.output()).toMatch(/SIGINT again: exiting now/);
  expect(code).toBe(130);
});
