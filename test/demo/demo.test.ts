/**
 * `npm run demo` end to end, non-interactive, as CI runs it: the order completes, steps ran on the Lambda after
 * the local worker was killed, the invocations fall to zero, effects happened exactly once, nothing is left running.
 * Then at a presenter's pace: `--interactive`, and a presenter who talks at act 3 until every order has ended on the
 * local worker. The kill then finds nothing in flight, so fresh orders go in with no local worker up, the Lambda runs
 * them, and the demo exits 0. That run goes on with act 5 (`--redeploy`): v3 ships, with a change the audience can
 * see, while v2 orders are in flight; the v2 orders finish on v2's Lambda version with v2's notification, new orders
 * run on v3's with the tracking link, and the version table ends with v2 drained and v3 current. (One file: the demos
 * run one after the other, each in data/demo.)
 */

import path from 'node:path';
import { DATA_DIR } from '../../machinery/plumbing/project-paths';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, processesIn, processesMatching } from '../support/host-processes';
import { startEntryPoint } from '../support/processes';
import { readJournalLines } from '../../machinery/devstack/run-ledger';
import type { RedeployView } from '../../console/console-types';

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

  const effects = readJournalLines(path.join(DATA_DIR, 'demo', 'journal.jsonl'));
  expect(effects.map((e) => e.effect).sort()).toEqual(['charge', 'notify', 'reserve', 'ship']);

  const serverPort = /Temporal dev server on 127\.0\.0\.1:(\d+)/.exec(output)![1];
  expect(processesMatching(`--port ${serverPort}`)).toEqual([]);
  expect(processesMatching(path.join(DATA_DIR, 'demo'))).toEqual([]);
  // The demo's own local workers, by the pids it printed (other test files run `worker/main.ts` at the same time).
  const workerPids = [...output.matchAll(/local worker running \(pid (\d+)\)/g)].map((m) => Number(m[1]));
  expect(workerPids.length).toBeGreaterThan(0);
  expect(workerPids.filter(isRunning)).toEqual([]);
  expect(processesIn(path.join(DATA_DIR, 'demo'))).toEqual([]);
}, 240_000);

const count = (output: string, pattern: RegExp) => output.match(new RegExp(pattern, 'g'))?.length ?? 0;

test('a long pause at act 3 still ends with work on the Lambda, and exit 0 (decline, 3 orders); then v3 ships live', async () => {
  const demo = startEntryPoint(
    'demo/main.ts',
    ['--interactive', '--scenario', 'decline', '--orders', '3', '--redeploy'],
    {},
    { stdin: 'pipe' },
  );
  const enter = () => demo.child.stdin!.write('\n');
  await demo.waitFor(/Act 1: the stage[\s\S]*press Enter/, 30_000);
  enter();
  await demo.waitFor(/Act 2: orders on the local worker[\s\S]*press Enter/, 180_000);
  // The presenter console is up for the whole story, on loopback.
  const consoleUrl = /Presenter console: (http:\/\/127\.0\.0\.1:\d+)/.exec(demo.output())![1];
  const page = await fetch(consoleUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<title>[^<]*ShopFlow/);
  enter();
  await demo.waitFor(/Act 3: the local worker dies[\s\S]*press Enter/, 60_000);
  // The presenter keeps talking until all three orders have been undone on the local worker, and a little longer.
  const deadline = Date.now() + 60_000;
  while (count(demo.output(), /↺ releaseInventory/) < 3 && Date.now() < deadline) await sleep(200);
  expect(count(demo.output(), /↺ releaseInventory/)).toBe(3);
  await sleep(2_000);
  enter();
  await demo.waitFor(/Act 4: scale to zero[\s\S]*press Enter/, 120_000);
  enter();
  await demo.waitFor(/Act 5: ship v3 live[\s\S]*press Enter/, 120_000);
  enter();
  // While act 5 ships v3, the console's redeploy is the demo's: the page's button waits, and says why.
  await demo.waitFor(/building v3 \(npm run build:lambda/, 60_000);
  const during = (await (await fetch(`${consoleUrl}/api/state`)).json()) as { redeploy: RedeployView };
  expect(during.redeploy.by).toBe('the demo (act 5)');
  expect(during.redeploy.disabledReason).toMatch(/a redeploy is running \(started by the demo \(act 5\)/);
  const { code } = await demo.exited;
  const output = demo.output();
  expect(output).toMatch(/0 of 3 order\(s\) were still in flight at the kill/);
  expect(output).toMatch(/Submitting 3 fresh order\(s\) now, with no local worker running/);
  expect(output).not.toMatch(/DEMO PROBLEM/);
  expect(code).toBe(0);
  const result = JSON.parse(/DEMO RESULT (.*)/.exec(output)![1]) as { orders: string[]; lambdaSteps: number };
  expect(result.orders).toEqual(Array(6).fill('FAILED'));
  expect(result.lambdaSteps).toBeGreaterThanOrEqual(3); // at least each fresh order's undo ran on the Lambda
  expect(output).toMatch(/↺ releaseInventory +Lambda \(request [0-9a-f]{8}\)/);

  // Act 5: each order's build, Lambda version and notification, as the act prints them.
  const act5 = output.slice(output.indexOf('Act 5: ship v3 live'));
  const orders = [
    ...act5.matchAll(/(order-\S+): (\w+), build (\S+), Lambda version (\S+)\n +notification: (.*)\n/g),
  ].map(([, id, state, build, lambdaVersion, notification]) => ({ id, state, build, lambdaVersion, notification }));
  const v2 = orders.filter((o) => o.build === 'v2');
  const v3 = orders.filter((o) => o.build === 'v3');
  expect(v2).toHaveLength(3);
  expect(v3).toHaveLength(3);
  // In flight during the redeploy, the v2 orders finished on v2's published version, with v2's notification.
  for (const order of v2) {
    expect(order).toMatchObject({ state: 'COMPLETED', lambdaVersion: '1' });
    expect(order.notification).toMatch(/^sent "Order \S+ confirmed: \d+ item\(s\), \$[\d.]+\."$/);
  }
  // New orders ran on v3's version, and only they carry v3's change: the tracking link.
  for (const order of v3) {
    expect(order).toMatchObject({ state: 'COMPLETED', lambdaVersion: '2' });
    expect(order.notification).toMatch(/Track it: https:\/\/shopflow\.example\/track\/ord-/);
  }
  expect(act5).toMatch(/redeploy took \d+\.\d s after the build/);
  const table = act5.slice(act5.indexOf('Versions now:'));
  expect(table).toMatch(/v2 +(DRAINED|DRAINING) +0 +arn:aws:lambda:\S+:function:shopflow-worker:1\n/);
  expect(table).toMatch(/v3 +CURRENT +0 +arn:aws:lambda:\S+:function:shopflow-worker:2\n/);
}, 480_000);
