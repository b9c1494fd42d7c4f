/**
 * `npm run demo` end to end, non-interactive, as CI runs it: the order completes, steps ran on the Lambda after
 * the local worker was killed, the invocations fall to zero, effects happened exactly once, nothing is left running.
 */

import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, PROJECT_ROOT } from '../../scripts/lib/project-paths';
import { isRunning, processesIn, processesMatching } from '../support/host-processes';
import { startEntryPoint } from '../support/processes';

test('the demo goes from nothing to zero invocations, and cleans up after itself', async () => {
  const demo = startEntryPoint('demo/main.ts', ['--orders', '1'], {});
  const { code } = await demo.exited;
  const output = demo.output();
  expect(code).toBe(0);

  const result = JSON.parse(/DEMO RESULT (.*)/.exec(output)![1]) as {
    orders: string[];
    lambdaSteps: number;
    invocations: number;
    duplicateKeys: number;
    lastBucketInvocations: number;
  };
  expect(result.orders).toEqual(['COMPLETED']);
  expect(result.lambdaSteps).toBeGreaterThanOrEqual(1);
  expect(result.duplicateKeys).toBe(0);
  expect(result.lastBucketInvocations).toBe(0);
  // The shipment was interrupted on the local worker and finished by the Lambda, after the kill.
  expect(output).toMatch(/sent SIGKILL at/);
  expect(output).toMatch(/createShipment +Lambda \(request [0-9a-f]{8}\) \(attempt [2-9]\)/);
  expect(output).toMatch(/none running now: nothing is billed while there is no work/);

  const effects = fs.readFileSync(path.join(DATA_DIR, 'demo', 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { effect: string });
  expect(effects.map((e) => e.effect).sort()).toEqual(['charge', 'notify', 'reserve', 'ship']);

  const serverPort = /Temporal dev server on 127\.0\.0\.1:(\d+)/.exec(output)![1];
  expect(processesMatching(`--port ${serverPort}`)).toEqual([]);
  expect(processesMatching(path.join(DATA_DIR, 'demo'))).toEqual([]);
  // The demo's own worker, by its pid and by the absolute path the demo starts it with (other test files run
  // `worker/main.ts` too, at the same time, from a relative path).
  const workerPid = /local worker running \(pid (\d+)\)/.exec(output)![1];
  expect(isRunning(Number(workerPid))).toBe(false);
  expect(processesMatching(path.join(PROJECT_ROOT, 'worker', 'main.ts'))).toEqual([]);
  expect(processesIn(path.join(DATA_DIR, 'demo'))).toEqual([]);
}, 240_000);
