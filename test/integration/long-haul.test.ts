/**
 * The long-haul scenario on a real dev server: the shipment runs as bounded chunk activities, a worker killed
 * mid-chunk hands the chunk over from its last heartbeat, and a foreign or corrupt checkpoint is refused.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  ACTIVITY_HEARTBEAT_INTERVAL_MS,
  LONG_HAUL_CHUNK_MS,
  ORDER_WORKFLOW_TYPE,
  orderWorkflowId,
} from '../../config/settings';
import type { OrderActivities } from '../../domain/activity-contract';
import type { OrderResult } from '../../domain/status';
import { chunkCount } from '../../domain/long-haul';
import { cancelOrderUpdate } from '../../workflows/definitions';
import { effectKinds, effectsOf, failureOf, historyEventTypes, statusIn } from '../support/assertions';
import { chunkActivities, pendingChunk, type PendingChunk } from '../../client/haul-history';
import { testOrder } from '../support/orders';
import { startEntryPoint, type RunningProcess } from '../support/processes';
import { testEnv } from '../support/test-env';
import { TEST_WORKER_READY } from '../support/test-worker-process';
import { startTestWorker, uniqueName, type TestWorker } from '../support/test-worker';

const HAUL_MS = 10_000; // 2.5 chunks: 4 s, 4 s, then the 2 s rest

function longHaulOrder(longHaulMs = HAUL_MS) {
  return { ...testOrder('long-haul'), longHaulMs };
}

const workers: TestWorker[] = [];
let killable: RunningProcess | undefined;
afterAll(async () => {
  killable?.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.stop()));
});

async function worker(options: Parameters<typeof startTestWorker>[0] = {}): Promise<TestWorker> {
  const started = await startTestWorker(options);
  workers.push(started);
  return started;
}

test('a long-haul order completes: its shipment took one activity per chunk, and is recorded once', async () => {
  const w = await worker();
  const order = longHaulOrder();
  const started = Date.now();
  const handle = await w.start(order);
  const result = await handle.result();
  const elapsedMs = Date.now() - started;

  expect(result.status.state).toBe('COMPLETED');
  const shipping = result.status.steps.find((s) => s.step === 'createShipment');
  expect(shipping?.detail).toBe(`hauled ${HAUL_MS} ms in 3 chunks`);
  const chunks = await chunkActivities(handle);
  expect(chunks).toHaveLength(chunkCount(HAUL_MS, LONG_HAUL_CHUNK_MS));
  expect(chunks.map((c) => [c.input.checkpoint.progressMs, c.result?.progressMs, c.attempt])).toEqual([
    [0, 4_000, 1],
    [4_000, 8_000, 1],
    [8_000, 10_000, 1],
  ]);
  for (const chunk of chunks) {
    // Each chunk really worked its share (a chunk's start-to-completion on the server's clock).
    const workedMs = chunk.result!.progressMs - chunk.input.checkpoint.progressMs;
    expect(chunk.completedAtMs! - chunk.startedAtMs!).toBeGreaterThanOrEqual(workedMs - 50);
  }
  expect(elapsedMs).toBeGreaterThanOrEqual(HAUL_MS);
  // The effect is recorded once, by createShipment after the haul; the chunks record nothing.
  expect(effectKinds(await effectsOf(w.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship', 'notify']);
  expect(await historyEventTypes(handle)).toContain(
    String(temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED), // the long-haul-chunks patch
  );
});

test('a worker killed mid-chunk: another worker takes the chunk over from its last heartbeat', async () => {
  const taskQueue = uniqueName('shopflow-haul');
  const version = { deploymentName: uniqueName('shopflow-haul'), buildId: 'test-1' };
  killable = startEntryPoint('test/support/test-worker-process.ts', [], {
    SHOPFLOW_TEST_TASK_QUEUE: taskQueue,
    SHOPFLOW_TEST_DEPLOYMENT_NAME: version.deploymentName,
    SHOPFLOW_TEST_BUILD_ID: version.buildId,
  });
  await killable.waitFor(new RegExp(TEST_WORKER_READY));
  // Only the killable worker polls until the kill; the surviving worker starts after it.
  const connection = await Connection.connect({ address: testEnv('address') });
  const order = longHaulOrder(12_000);
  const handle = await new Client({ connection, namespace: 'default' }).workflow.start(ORDER_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: orderWorkflowId(order.orderId),
    args: [order],
  });

  // Mid-way through the second chunk (4 s -> 8 s), a second and a half in.
  let inFlight: PendingChunk | undefined;
  for (let i = 0; i < 300; i++) {
    inFlight = await pendingChunk(handle);
    if ((inFlight?.heartbeat?.progressMs ?? 0) >= LONG_HAUL_CHUNK_MS + 1_000) break;
    await sleep(100);
  }
  expect(inFlight?.attempt).toBe(1);
  await sleep(500);
  const killedAtMs = Date.now();
  killable.child.kill('SIGKILL');
  await killable.exited;
  // What the killed attempt had done: the chunk's start plus the time it ran (over-estimates, never under).
  const doneAtKillMs = LONG_HAUL_CHUNK_MS + (killedAtMs - inFlight!.lastStartedAtMs!);
  await sleep(ACTIVITY_HEARTBEAT_INTERVAL_MS);
  const resumeFrom = (await pendingChunk(handle))!.heartbeat!;
  const repeatedMs = doneAtKillMs - resumeFrom.progressMs;

  const survivor = await worker({ taskQueue, version });
  const result = (await handle.result()) as OrderResult;
  expect(result.status.state).toBe('COMPLETED');
  const chunks = await chunkActivities(handle);
  expect(chunks.map((c) => [c.input.checkpoint.progressMs, c.result?.progressMs, c.attempt])).toEqual([
    [0, 4_000, 1],
    [4_000, 8_000, 2], // the killed chunk, completed by its second attempt
    [8_000, 12_000, 1],
  ]);
  // The retry worked only from the checkpoint on: its attempt ran about the rest of the chunk, not all of it.
  const retried = chunks[1];
  const retryRanMs = retried.completedAtMs! - retried.startedAtMs!;
  expect(retryRanMs).toBeLessThan(2 * LONG_HAUL_CHUNK_MS - resumeFrom.progressMs + 500);
  expect(resumeFrom.progressMs).toBeGreaterThan(LONG_HAUL_CHUNK_MS);
  expect(repeatedMs).toBeGreaterThanOrEqual(0);
  expect(repeatedMs).toBeLessThanOrEqual(ACTIVITY_HEARTBEAT_INTERVAL_MS);
  process.stdout.write(
    `[long-haul] killed at ~${doneAtKillMs} ms of the haul, resumed from ${resumeFrom.progressMs} ms: ` +
      `${repeatedMs} ms repeated; the retry ran ${retryRanMs} ms\n`,
  );
  const shipment = result.status.steps.find((s) => s.step === 'createShipment');
  expect(shipment?.worker).toBe(survivor.identity);
  expect(effectKinds(await effectsOf(survivor.journal, order.orderId))).toEqual([
    'reserve',
    'charge',
    'ship',
    'notify',
  ]);
  await connection.close();
});

type ChunkInput = Parameters<OrderActivities['haulShipmentChunk']>[0];

/** The chunk activity, except once (the first call `when` matches): `instead` runs in its place. */
function interceptOnce(when: (input: ChunkInput) => boolean, instead: OrderActivities['haulShipmentChunk']) {
  let done = false;
  return (activities: OrderActivities): OrderActivities => ({
    ...activities,
    haulShipmentChunk: (input) => {
      if (done || !when(input)) return activities.haulShipmentChunk(input);
      done = true;
      return instead(input);
    },
  });
}

test("another order's heartbeat is refused: the retried chunk starts over from its input, never further", async () => {
  const w = await worker({
    // An attempt heartbeats another order's checkpoint, then crashes: its retry is handed that heartbeat.
    wrapActivities: interceptOnce(
      (input) => input.checkpoint.progressMs === 0,
      async (input) => {
        Context.current().heartbeat({ ...input.checkpoint, orderId: 'someone-else', progressMs: 3_900 });
        await sleep(1_500); // long enough for the planted heartbeat to reach the server
        throw ApplicationFailure.retryable('simulated crash after a planted heartbeat', 'SimulatedCrash');
      },
    ),
  });
  const order = longHaulOrder();
  const handle = await w.start(order);
  const result = await handle.result();
  const chunks = await chunkActivities(handle);
  expect(chunks.map((c) => [c.input.checkpoint.progressMs, c.result?.progressMs, c.attempt])).toEqual([
    [0, 4_000, 2],
    [4_000, 8_000, 1],
    [8_000, 10_000, 1],
  ]);
  // Refused: the retry worked the whole chunk, not the 100 ms the foreign heartbeat would have left.
  expect(chunks[0].completedAtMs! - chunks[0].startedAtMs!).toBeGreaterThanOrEqual(LONG_HAUL_CHUNK_MS - 50);
  expect(result.status.steps.find((s) => s.step === 'createShipment')?.detail).toBe(`hauled ${HAUL_MS} ms in 3 chunks`);
  expect(effectKinds(await effectsOf(w.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship', 'notify']);
});

test('a corrupt chunk input (progress past the total) is refused: the haul starts over from 0', async () => {
  const w = await worker({
    // The second chunk's input arrives corrupt once (as a bad codec or a hand-edited history would deliver it).
    wrapActivities: (activities) =>
      interceptOnce(
        (input) => input.checkpoint.progressMs === 4_000,
        (input) => activities.haulShipmentChunk({ ...input, checkpoint: { ...input.checkpoint, progressMs: 99_000 } }),
      )(activities),
  });
  const order = longHaulOrder();
  const handle = await w.start(order);
  const result = await handle.result();
  const chunks = await chunkActivities(handle);
  expect(chunks.map((c) => [c.input.checkpoint.progressMs, c.result?.progressMs])).toEqual([
    [0, 4_000],
    [4_000, 4_000], // its input arrived corrupt: it started over from 0 and did one chunk
    [4_000, 8_000],
    [8_000, 10_000],
  ]);
  expect(result.status.steps.find((s) => s.step === 'createShipment')?.detail).toBe(
    `hauled ${HAUL_MS} ms in 4 chunks (1 started over from a refused checkpoint)`,
  );
  expect(effectKinds(await effectsOf(w.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship', 'notify']);
});

test('cancelOrder mid-haul stops the chunk in flight; the shipment that never happened is "nothing to undo"', async () => {
  const w = await worker();
  const order = longHaulOrder();
  const handle = await w.start(order);
  for (let i = 0; i < 300 && !(await pendingChunk(handle))?.heartbeat; i++) await sleep(100);
  const accepted = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'changed my mind mid-haul' }] });
  expect(accepted.cancelRequested?.reason).toBe('changed my mind mid-haul');
  const failure = await failureOf(handle);
  expect(failure.type).toBe('OrderCancelled');
  expect(statusIn(failure).compensations.map((c) => [c.compensation, c.detail])).toEqual([
    ['cancelShipment', 'nothing to undo'],
    ['refundPayment', expect.stringContaining('refunded')],
    ['releaseInventory', expect.stringContaining('released')],
  ]);
  const chunks = await chunkActivities(handle);
  expect(chunks).toHaveLength(1); // cancelled inside the first chunk: no further chunk was scheduled
  expect(chunks[0].result).toBeUndefined();
  expect(effectKinds(await effectsOf(w.journal, order.orderId))).toEqual([
    'reserve',
    'charge',
    'cancel-shipment',
    'refund',
    'release',
  ]);
});

test('a carrier that refuses the address after the haul: the saga compensates as for any order', async () => {
  const w = await worker();
  const order = { ...longHaulOrder(5_000), faults: { rejectAddress: true } };
  const failure = await failureOf(await w.start(order));
  expect(failure.type).toBe('InvalidAddress');
  expect(failure.message).toContain('failed at createShipment');
  expect(statusIn(failure).compensations.map((c) => c.compensation)).toEqual([
    'cancelShipment',
    'refundPayment',
    'releaseInventory',
  ]);
  expect(effectKinds(await effectsOf(w.journal, order.orderId))).toEqual([
    'reserve',
    'charge',
    'cancel-shipment',
    'refund',
    'release',
  ]);
});
