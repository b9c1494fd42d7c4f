/**
 * The order-progress observer against the real dev server: it reports each step, its worker and attempt, failures
 * with their business reason and compensations, from history and describe alone; and watching an order while no
 * worker runs invokes no Lambda, where a `getStatus` query on the same order does.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { watchOrder } from '../../client/watch-order';
import type { OrderProgress } from '../../client/order-progress';
import { readLambdaMetrics } from '../../machinery/deployment/lambda-metrics';
import { registerLambda } from '../../machinery/deployment/lambda-registration';
import { localAwsClient, localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { waitFor } from '../../machinery/plumbing/wait-for';
import { getStatusQuery } from '../../workflows/definitions';
import { createTestFunction, localLambdaClient } from '../support/function-zips';
import { testOrder } from '../support/orders';
import { testEnv } from '../support/test-env';
import { startTestWorker, uniqueName, type TestWorker } from '../support/test-worker';

let worker: TestWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

test('a happy order: four steps completed by the local worker, seen as they happen', async () => {
  worker = await startTestWorker();
  const handle = await worker.start(testOrder('happy'));
  const seen: OrderProgress[] = [];
  const final = await watchOrder(worker.client, handle.workflowId, { onChange: (p) => seen.push(p) });
  expect(final.state).toBe('COMPLETED');
  expect(final.orderId).toMatch(/^t-/);
  expect(final.scenario).toBe('happy');
  expect(final.steps.map((s) => [s.name, s.state, s.worker, s.attempt])).toEqual(
    ['reserveInventory', 'chargeCustomer', 'createShipment', 'notifyCustomer'].map((n) => [
      n,
      'completed',
      worker!.identity,
      1,
    ]),
  );
  expect(final.compensations).toEqual([]);
  // Progress arrives in several snapshots, not one at the end.
  expect(seen.length).toBeGreaterThan(1);
  expect(seen[0].state).toBe('RUNNING');
});

test('a declined card: the step fails with the business reason and inventory is released', async () => {
  worker = await startTestWorker();
  const handle = await worker.start(testOrder('decline'));
  const final = await watchOrder(worker.client, handle.workflowId);
  expect(final.state).toBe('FAILED');
  expect(final.failure?.type).toBe('PaymentDeclined');
  const charge = final.steps.find((s) => s.name === 'chargeCustomer')!;
  expect(charge.state).toBe('failed');
  expect(charge.failure).toMatchObject({ type: 'PaymentDeclined' });
  expect(charge.failure?.message).toMatch(/declined/i);
  expect(final.steps.find((s) => s.name === 'createShipment')!.state).toBe('pending');
  // The refund is registered before the charge runs (a timed-out charge may have happened), so it runs too.
  expect(final.compensations.map((c) => [c.name, c.state])).toEqual([
    ['refundPayment', 'completed'],
    ['releaseInventory', 'completed'],
  ]);
  expect(final.compensations[0].detail).toMatch(/nothing to undo/i);
});

test("a transient outage: the observer shows the attempt in progress and the previous attempt's failure", async () => {
  worker = await startTestWorker();
  const handle = await worker.start(testOrder('shipping-outage'));
  let sawRetry: OrderProgress['steps'][number] | undefined;
  const final = await watchOrder(worker.client, handle.workflowId, {
    describeIntervalMs: 200,
    onChange: (p) => {
      const ship = p.steps.find((s) => s.name === 'createShipment')!;
      if (ship.attempt > 1 && ship.state !== 'completed') sawRetry ??= ship;
    },
  });
  expect(final.state).toBe('COMPLETED');
  const ship = final.steps.find((s) => s.name === 'createShipment')!;
  expect(ship.attempt).toBe(4);
  expect(sawRetry?.failure?.message).toBeTruthy();
});

test('an aborted watch ends promptly with the last snapshot', async () => {
  worker = await startTestWorker();
  const handle = await worker.start(testOrder('slow'));
  const controller = new AbortController();
  const watching = watchOrder(worker.client, handle.workflowId, { signal: controller.signal });
  await sleep(1_500);
  const before = Date.now();
  controller.abort();
  const last = await watching;
  expect(Date.now() - before).toBeLessThan(1_000);
  expect(last.state).toBe('RUNNING');
  await handle.terminate('test over');
});

describe('with a Lambda registered and no worker running', () => {
  let lambda: LambdaClient;
  let cloudwatch: CloudWatchClient;
  let native: NativeConnection;
  beforeAll(async () => {
    lambda = localLambdaClient(testEnv('lambdaEndpoint'));
    cloudwatch = localAwsClient(CloudWatchClient, testEnv('lambdaEndpoint'));
    native = await NativeConnection.connect({ address: testEnv('address') });
  });
  afterAll(async () => {
    lambda?.destroy();
    cloudwatch?.destroy();
    await native?.close();
  });

  test('watching an order invokes nothing; a getStatus query on it does', async () => {
    // A function that only counts its invocations: whatever wakes it shows in its Invocations metric.
    const functionName = await createTestFunction(lambda, testEnv('workDir'), { timeout: 5 });
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
    const version = { deploymentName: uniqueName('shopflow-observe'), buildId: 'observe-1' };
    const taskQueue = uniqueName('shopflow-observe');
    await registerLambda({
      connection: native,
      namespace: 'default',
      version,
      target: localLambdaTarget(functionArn),
      identity: 'test',
      makeCurrent: true,
      allowLatest: true,
    });
    const invocations = async () =>
      (await readLambdaMetrics(cloudwatch, functionName, 5, 10)).reduce((sum, row) => sum + row.invocations, 0);

    worker = await startTestWorker({ version, taskQueue });
    const handle = await worker.start(testOrder('happy'));
    expect((await watchOrder(worker.client, handle.workflowId)).state).toBe('COMPLETED');
    await worker.stop();
    worker = undefined;
    // Let the registration's validation invocation (and anything else in flight) settle before counting.
    await sleep(3_000);
    const before = await invocations();

    const observer = new Client({
      connection: await Connection.connect({ address: testEnv('address') }),
      namespace: 'default',
    });
    try {
      for (let i = 0; i < 3; i++) {
        const progress = await watchOrder(observer, handle.workflowId, { describeIntervalMs: 100 });
        expect(progress.state).toBe('COMPLETED');
        await observer.workflowService.describeWorkflowExecution({
          namespace: 'default',
          execution: { workflowId: handle.workflowId },
        });
      }
      await sleep(5_000);
      expect(await invocations()).toBe(before);

      // The control: a query needs a worker, so the server's worker controller invokes the function.
      await observer
        .withDeadline(Date.now() + 5_000, () => observer.workflow.getHandle(handle.workflowId).query(getStatusQuery))
        .catch(() => undefined);
      await waitFor(async () => (await invocations()) > before, {
        timeoutMs: 20_000,
        what: 'the query to invoke the Lambda',
      });
    } finally {
      await observer.connection.close();
    }
  });
});
