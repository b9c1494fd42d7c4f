/**
 * A long haul on the shipment step, from the same event and pending-activity shapes the server sends: each
 * haulShipmentChunk shows as the shipment running (its chunk, its progress from the heartbeat, its worker) until
 * createShipment itself completes; the starter says one line per chunk, not one per heartbeat.
 */

import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { OrderProgressFold } from '../../client/order-progress';
import { progressLines } from '../../client/progress-lines';

const EventType = temporal.api.enums.v1.EventType;
const PendingState = temporal.api.enums.v1.PendingActivityState;
const LOCAL = '19179@laptop';
const LAMBDA_A = '1a2b3c4d-0000-0000-0000-000000000000@arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';
const LAMBDA_B = '5e6f7a8b-0000-0000-0000-000000000000@arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';
const TOTAL_MS = 18_000;
const time = (s: number) => ({ seconds: 1_764_650_000 + s, nanos: 0 });
const payloads = (value: unknown) => ({ payloads: [defaultPayloadConverter.toPayload(value)] });
const checkpoint = (progressMs: number) => ({ orderId: 'o-1', idempotencyKey: 'k', progressMs, totalMs: TOTAL_MS });
/** Events as the server's JSON has them (plain numbers where the generated types say Long). */
const history = (...events: object[]) => events as temporal.api.history.v1.IHistoryEvent[];

function chunkScheduled(eventId: number, activityId: string, fromMs: number, at: number): object {
  return {
    eventId,
    eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    eventTime: time(at),
    activityTaskScheduledEventAttributes: {
      activityId,
      activityType: { name: 'haulShipmentChunk' },
      input: payloads({ orderId: 'o-1', idempotencyKey: 'k', totalMs: TOTAL_MS, checkpoint: checkpoint(fromMs) }),
    },
  };
}

function completed(eventId: number, scheduledEventId: number, identity: string, at: number, result?: unknown) {
  return {
    eventId,
    eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    eventTime: time(at),
    activityTaskCompletedEventAttributes: {
      scheduledEventId,
      identity,
      ...(result !== undefined && { result: payloads(result) }),
    },
  };
}

function running(activityId: string, worker: string, progressMs: number) {
  return {
    activityId,
    attempt: 1,
    state: PendingState.PENDING_ACTIVITY_STATE_STARTED,
    lastWorkerIdentity: worker,
    heartbeatDetails: payloads(checkpoint(progressMs)),
  };
}

const shipmentOf = (fold: OrderProgressFold) => fold.snapshot().steps.find((s) => s.name === 'createShipment')!;

test('the shipment step shows the haul chunk by chunk, with each chunk worker, until createShipment completes', () => {
  const fold = new OrderProgressFold('order-haul');
  fold.apply(history({ eventId: 1, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: time(0) }));
  fold.apply(history(chunkScheduled(5, '3', 0, 1)));
  expect(shipmentOf(fold)).toMatchObject({ state: 'scheduled', detail: 'hauling: chunk 1, 0.0 of 18.0 s' });

  // Mid-chunk, the heartbeat carries the progress.
  fold.setPendingActivities([running('3', LAMBDA_A, 2_000)]);
  const first = fold.snapshot();
  expect(shipmentOf(fold)).toMatchObject({
    state: 'running',
    worker: LAMBDA_A,
    haul: { chunk: 1, progressMs: 2_000, totalMs: TOTAL_MS },
    detail: 'hauling: chunk 1, 2.0 of 18.0 s',
  });

  // A chunk done is not the step done: between chunks it stays running.
  fold.apply(history(completed(7, 5, LAMBDA_A, 5, checkpoint(4_000))));
  fold.setPendingActivities([]);
  expect(shipmentOf(fold)).toMatchObject({ state: 'running', detail: 'hauling: chunk 1, 4.0 of 18.0 s' });
  expect(fold.hasOpenActivity).toBe(true);

  // The next chunk, on the next invocation.
  fold.apply(history(chunkScheduled(9, '4', 4_000, 5)));
  fold.setPendingActivities([running('4', LAMBDA_B, 8_000)]);
  const second = fold.snapshot();
  expect(shipmentOf(fold)).toMatchObject({
    state: 'running',
    worker: LAMBDA_B,
    scheduledAt: new Date(time(1).seconds * 1000).toISOString(),
    detail: 'hauling: chunk 2, 8.0 of 18.0 s',
  });
  expect(progressLines(undefined, first).at(-1)).toBe(
    '… createShipment hauling: chunk 1, 2.0 of 18.0 s by Lambda (request 1a2b3c4d)',
  );
  expect(progressLines(first, second)).toEqual([
    '… createShipment hauling: chunk 2, 8.0 of 18.0 s by Lambda (request 5e6f7a8b)',
  ]);
  // A heartbeat within the same chunk moves the detail, and says no new line.
  fold.setPendingActivities([running('4', LAMBDA_B, 9_000)]);
  expect(progressLines(second, fold.snapshot())).toEqual([]);

  // The last chunk, then createShipment itself: the step completes once createShipment does.
  fold.apply(history(completed(11, 9, LAMBDA_B, 9, checkpoint(TOTAL_MS))));
  fold.apply(
    history({
      eventId: 13,
      eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      eventTime: time(9),
      activityTaskScheduledEventAttributes: { activityId: '5', activityType: { name: 'createShipment' } },
    }),
  );
  fold.setPendingActivities([]);
  expect(shipmentOf(fold)).toMatchObject({ state: 'scheduled', detail: 'hauling: chunk 2, 18.0 of 18.0 s' });
  fold.apply(history(completed(15, 13, LOCAL, 10)));
  expect(shipmentOf(fold)).toMatchObject({
    state: 'completed',
    worker: LOCAL,
    detail: 'hauled 18.0 s in 2 chunks',
    haul: { chunk: 2, progressMs: TOTAL_MS },
  });
  // The fold never shows a chunk as a step of its own.
  expect(fold.snapshot().steps.map((s) => s.name)).toEqual([
    'reserveInventory',
    'chargeCustomer',
    'createShipment',
    'notifyCustomer',
  ]);
});

test('a chunk that fails for good fails the shipment step, as any activity would', () => {
  const fold = new OrderProgressFold('order-haul-failed');
  fold.apply(
    history(chunkScheduled(5, '3', 0, 1), {
      eventId: 7,
      eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
      eventTime: time(3),
      activityTaskFailedEventAttributes: {
        scheduledEventId: 5,
        identity: LOCAL,
        failure: { message: 'bad input', applicationFailureInfo: { type: 'InvalidOrder', nonRetryable: true } },
      },
    }),
  );
  expect(shipmentOf(fold)).toMatchObject({ state: 'failed', failure: { type: 'InvalidOrder' }, worker: LOCAL });
});
