/** The observer's terminal lines: who has a step now, retries with the reason, completions in the starter's style. */

import type { ObservedActivity, OrderProgress } from '../../client/order-progress';
import { progressLines } from '../../client/progress-lines';

const LOCAL = '4242@laptop';
const LAMBDA = '1a2b3c4d-0000-0000-0000-000000000000@arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';

function progress(ship: Partial<ObservedActivity>, extra: Partial<OrderProgress> = {}): OrderProgress {
  const done = (name: ObservedActivity['name']): ObservedActivity => ({
    name,
    kind: 'step',
    state: 'completed',
    attempt: 1,
    worker: LOCAL,
    finishedAt: '2026-11-30T05:00:00.000Z',
  });
  return {
    workflowId: 'order-1',
    state: 'RUNNING',
    steps: [
      done('reserveInventory'),
      done('chargeCustomer'),
      { name: 'createShipment', kind: 'step', state: 'pending', attempt: 0, ...ship },
      { name: 'notifyCustomer', kind: 'step', state: 'pending', attempt: 0 },
    ],
    compensations: [],
    eventCount: 10,
    ...extra,
  };
}

test('a step handed from the killed local worker to a Lambda, line by line', () => {
  const running = progress({ state: 'running', attempt: 1, worker: LOCAL });
  const retrying = progress({
    state: 'retrying',
    attempt: 2,
    worker: LOCAL,
    failure: { type: 'Timeout', message: 'activity Heartbeat timeout' },
  });
  const onLambda = progress({ state: 'running', attempt: 2, worker: LAMBDA });
  const done = progress({ state: 'completed', attempt: 2, worker: LAMBDA, finishedAt: '2026-11-30T05:00:31.000Z' });
  expect(progressLines(undefined, running)).toEqual([
    '✓ reserveInventory by local worker (pid 4242) at 05:00:00',
    '✓ chargeCustomer by local worker (pid 4242) at 05:00:00',
    '… createShipment started by local worker (pid 4242)',
  ]);
  expect(progressLines(running, retrying)).toEqual([
    '↻ createShipment will retry (attempt 2) after: activity Heartbeat timeout',
  ]);
  expect(progressLines(retrying, onLambda)).toEqual([
    '… createShipment started by Lambda (request 1a2b3c4d), attempt 2',
  ]);
  expect(progressLines(onLambda, done)).toEqual([
    '✓ createShipment by Lambda (request 1a2b3c4d) at 05:00:31, attempt 2',
  ]);
  expect(progressLines(done, done)).toEqual([]);
});

test('a scheduled step says nothing yet; a cancellation and a compensation', () => {
  const waiting = progress({ state: 'scheduled', attempt: 1 });
  expect(progressLines(progress({}), waiting)).toEqual([]);
  const cancelled = progress(
    { state: 'cancelled', attempt: 1 },
    {
      cancelRequested: { reason: 'customer changed their mind' },
      compensations: [
        {
          name: 'refundPayment',
          kind: 'compensation',
          state: 'completed',
          attempt: 1,
          worker: LOCAL,
          detail: 'refunded 4200 cents',
          finishedAt: '2026-11-30T05:00:02.000Z',
        },
      ],
    },
  );
  expect(progressLines(waiting, cancelled)).toEqual([
    '✗ createShipment cancelled',
    '↺ refundPayment: refunded 4200 cents (by local worker (pid 4242))',
    '! cancellation requested: customer changed their mind',
  ]);
});
