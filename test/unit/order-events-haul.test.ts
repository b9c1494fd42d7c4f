/** The console's event log during a long haul: no line per chunk or heartbeat, one when the shipment is done. */

import type { ObservedActivity, OrderProgress } from '../../client/order-progress';
import { orderChangeLines } from '../../console/order-events';

const LAMBDA = '1a2b3c4d-0000-0000-0000-000000000000@arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';

function order(shipment: Partial<ObservedActivity>): OrderProgress {
  const step = (name: ObservedActivity['name'], rest: Partial<ObservedActivity> = {}): ObservedActivity => ({
    name,
    kind: 'step',
    state: 'pending',
    attempt: 0,
    ...rest,
  });
  return {
    workflowId: 'order-haul',
    orderId: 'o-1',
    scenario: 'long-haul',
    state: 'RUNNING',
    steps: [
      step('reserveInventory', { state: 'completed', attempt: 1, worker: LAMBDA }),
      step('chargeCustomer', { state: 'completed', attempt: 1, worker: LAMBDA }),
      step('createShipment', shipment),
      step('notifyCustomer'),
    ],
    compensations: [],
    eventCount: 20,
  };
}

test('chunks and heartbeats of a haul say nothing in the event log; the shipment done says the haul', () => {
  const haul = (chunk: number, progressMs: number) => ({
    state: 'running' as const,
    attempt: 1,
    worker: LAMBDA,
    haul: { chunk, progressMs, totalMs: 18_000 },
    detail: `hauling: chunk ${chunk}, ${(progressMs / 1000).toFixed(1)} of 18.0 s`,
  });
  const first = order(haul(1, 2_000));
  const later = order(haul(3, 9_000));
  expect(orderChangeLines(first, later)).toEqual([]);
  const done = order({ ...haul(5, 18_000), state: 'completed', detail: 'hauled 18.0 s in 5 chunks' });
  expect(orderChangeLines(later, done)).toEqual([
    { kind: 'lambda', text: 'o-1: createShipment done by Lambda (request 1a2b3c4d) (hauled 18.0 s in 5 chunks)' },
  ]);
});
