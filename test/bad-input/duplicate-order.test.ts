/**
 * The same order submitted twice never charges twice: the workflow id is derived from the order id and orders are
 * started with WorkflowIdReusePolicy.REJECT_DUPLICATE (starter/main.ts, test/support/test-worker.ts), so a second
 * start is refused while the first runs and after it has finished. The journal shows one charge.
 */

import { execFile } from 'node:child_process';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ORDER_WORKFLOW_TYPE, orderWorkflowId } from '../../config/settings';
import { USAGE } from '../../starter/cli-args';
import { effectKinds, effectsOf } from '../support/assertions';
import { testOrder } from '../support/orders';
import { ROOT } from '../support/processes';
import { createScratchNamespace } from '../support/scratch-namespace';
import { testEnv } from '../support/test-env';
import { startTestWorker, uniqueName, type TestWorker } from '../support/test-worker';

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop();
});

test('a second start of the same order id is refused while it runs and after it completes; one charge', async () => {
  // Shipping takes 2 s, so the order is certainly still running when it is submitted again.
  const order = testOrder('happy', { slowStep: { step: 'createShipment', durationMs: 2_000 } });
  const workflowId = orderWorkflowId(order.orderId);
  const first = await worker.start(order, workflowId);

  const whileRunning = await worker.start(order, workflowId).catch((e: unknown) => e);
  expect(whileRunning).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  expect(whileRunning).toMatchObject({
    message: 'Workflow execution already started',
    workflowId,
    workflowType: ORDER_WORKFLOW_TYPE,
  });

  const result = await first.result();
  expect(result.status.state).toBe('COMPLETED');

  const afterCompletion = await worker.start(order, workflowId).catch((e: unknown) => e);
  expect(afterCompletion).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  expect(afterCompletion).toMatchObject({ workflowId });

  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship', 'notify']);
  // Only the first run exists: the refused starts created no run of their own.
  const runs = [];
  for await (const run of worker.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.runId);
  expect(runs).toEqual([(await first.describe()).runId]);
});

test('`npm run starter -- --order-id X` twice: the second is refused with exit 2 and the order exists once', async () => {
  // Its own namespace: no worker polls there, so the order stays as submitted (nothing is charged at all).
  const namespace = await createScratchNamespace('dup-starter');
  const orderId = uniqueName('dup');
  const starter = () =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        'npm',
        ['run', 'starter', '--silent', '--', '--order-id', orderId, '--no-wait'],
        { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: testEnv('address'), TEMPORAL_NAMESPACE: namespace } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
      ),
    );
  const first = await starter();
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(
    `${orderId}  http://127.0.0.1:8233/namespaces/${namespace}/workflows/order-${orderId}`,
  );

  const second = await starter();
  expect(second.code).toBe(2);
  expect(second.stderr.replace(/^npm warn .*\n/gm, '')).toBe(
    `starter: order ${orderId} was already submitted (workflow order-${orderId}); choose another --order-id\n\n${USAGE}\n`,
  );

  const client = new Client({ connection: await Connection.connect({ address: testEnv('address') }), namespace });
  try {
    expect(await client.workflow.count()).toMatchObject({ count: 1 });
  } finally {
    await client.connection.close();
  }
});
