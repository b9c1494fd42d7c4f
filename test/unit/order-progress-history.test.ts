/**
 * The fold's history of attempts and outside cancel requests, from the same event and pending-activity shapes the
 * server sends: a running attempt 2 carries attempt 1's failure as history, with attempt 1's worker; a cancel sent
 * with `temporal workflow cancel` shows who sent it.
 */

import { temporal } from '@temporalio/proto';
import { OrderProgressFold } from '../../client/order-progress';

const EventType = temporal.api.enums.v1.EventType;
const PendingState = temporal.api.enums.v1.PendingActivityState;
const LOCAL = '19179@laptop';
const LAMBDA = '1a2b3c4d-0000-0000-0000-000000000000@arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';
const HEARTBEAT_TIMEOUT = { message: 'activity Heartbeat timeout', timeoutFailureInfo: { timeoutType: 4 } };
const time = (s: number) => ({ seconds: 1_764_650_000 + s, nanos: 0 });
/** Events as the server's JSON has them (plain numbers where the generated types say Long). */
const history = (...events: object[]) => events as temporal.api.history.v1.IHistoryEvent[];

function scheduledShipment(): object[] {
  return [
    { eventId: 1, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: time(0) },
    {
      eventId: 5,
      eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      eventTime: time(1),
      activityTaskScheduledEventAttributes: { activityId: '3', activityType: { name: 'createShipment' } },
    },
  ];
}

const shipmentOf = (fold: OrderProgressFold) => fold.snapshot().steps.find((s) => s.name === 'createShipment')!;

test('a running attempt 2 shows attempt 1 (its worker, its failure) as the previous attempt', () => {
  const fold = new OrderProgressFold('order-1');
  fold.apply(history(...scheduledShipment()));
  fold.setPendingActivities([
    { activityId: '3', attempt: 1, state: PendingState.PENDING_ACTIVITY_STATE_STARTED, lastWorkerIdentity: LOCAL },
  ]);
  expect(shipmentOf(fold).previousAttempt).toBeUndefined();
  // The heartbeat timed out: attempt 2 waits; the identity the server still holds is attempt 1's.
  fold.setPendingActivities([
    {
      activityId: '3',
      attempt: 2,
      state: PendingState.PENDING_ACTIVITY_STATE_SCHEDULED,
      lastWorkerIdentity: LOCAL,
      lastFailure: HEARTBEAT_TIMEOUT,
    },
  ]);
  expect(shipmentOf(fold)).toMatchObject({
    state: 'retrying',
    attempt: 2,
    previousAttempt: { attempt: 1, worker: LOCAL, failure: { type: 'Timeout', message: 'activity Heartbeat timeout' } },
  });
  fold.setPendingActivities([
    {
      activityId: '3',
      attempt: 2,
      state: PendingState.PENDING_ACTIVITY_STATE_STARTED,
      lastWorkerIdentity: LAMBDA,
      lastFailure: HEARTBEAT_TIMEOUT,
    },
  ]);
  expect(shipmentOf(fold)).toMatchObject({
    state: 'running',
    attempt: 2,
    worker: LAMBDA,
    previousAttempt: { attempt: 1, worker: LOCAL },
  });

  // Completed: the history's started event holds attempt 2 and attempt 1's failure; the worker seen stays.
  fold.apply(
    history(
      {
        eventId: 6,
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        eventTime: time(20),
        activityTaskStartedEventAttributes: {
          scheduledEventId: 5,
          attempt: 2,
          identity: LAMBDA,
          lastFailure: HEARTBEAT_TIMEOUT,
        },
      },
      {
        eventId: 7,
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        eventTime: time(21),
        activityTaskCompletedEventAttributes: { scheduledEventId: 5, identity: LAMBDA },
      },
    ),
  );
  fold.setPendingActivities([]);
  expect(shipmentOf(fold)).toMatchObject({
    state: 'completed',
    worker: LAMBDA,
    failure: undefined,
    previousAttempt: { attempt: 1, worker: LOCAL, failure: { type: 'Timeout' } },
  });
});

test('read from history alone, a retried step still tells its previous attempt (without a worker it never saw)', () => {
  const fold = new OrderProgressFold('order-2');
  fold.apply(
    history(
      ...scheduledShipment(),
      {
        eventId: 6,
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        activityTaskStartedEventAttributes: {
          scheduledEventId: 5,
          attempt: 2,
          identity: LAMBDA,
          lastFailure: HEARTBEAT_TIMEOUT,
        },
      },
      {
        eventId: 7,
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        activityTaskCompletedEventAttributes: { scheduledEventId: 5, identity: LAMBDA },
      },
    ),
  );
  const shipment = shipmentOf(fold);
  expect(shipment.previousAttempt).toEqual({
    attempt: 1,
    failure: { type: 'Timeout', message: 'activity Heartbeat timeout' },
  });
});

test('a first attempt that fails for good has its failure as its own error, and no previous attempt', () => {
  const fold = new OrderProgressFold('order-3');
  fold.apply(
    history(
      ...scheduledShipment(),
      {
        eventId: 6,
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 1, identity: LOCAL },
      },
      {
        eventId: 7,
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        activityTaskFailedEventAttributes: {
          scheduledEventId: 5,
          identity: LOCAL,
          failure: {
            message: 'address rejected',
            applicationFailureInfo: { type: 'InvalidAddress', nonRetryable: true },
          },
        },
      },
    ),
  );
  expect(shipmentOf(fold)).toMatchObject({ state: 'failed', failure: { type: 'InvalidAddress' } });
  expect(shipmentOf(fold).previousAttempt).toBeUndefined();
});

test('WorkflowExecutionCancelRequested gives who sent the cancel, why and when', () => {
  const fold = new OrderProgressFold('order-4');
  fold.apply(
    history(...scheduledShipment(), {
      eventId: 8,
      eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
      eventTime: time(30),
      workflowExecutionCancelRequestedEventAttributes: {
        identity: 'temporal-cli:ada@laptop',
        cause: 'customer called',
      },
    }),
  );
  expect(fold.snapshot().cancellationRequest).toEqual({
    identity: 'temporal-cli:ada@laptop',
    reason: 'customer called',
    at: new Date((1_764_650_000 + 30) * 1000).toISOString(),
  });
});
