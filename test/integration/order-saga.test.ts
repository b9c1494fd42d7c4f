/** The OrderWorkflow saga on a real dev server with the real activities and simulated services. */

import { WorkflowUpdateFailedError } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal } from '@temporalio/proto';
import type { OrderStatus } from '../../domain/status';
import { cancelOrderUpdate, getStatusQuery } from '../../workflows/definitions';
import { effectKinds, effectsOf, failureOf, historyEventTypes, statusIn } from '../support/assertions';
import { testOrder } from '../support/orders';
import { startTestWorker, type TestWorker } from '../support/test-worker';

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop();
});

async function waitForStatus(
  handle: { query: (q: typeof getStatusQuery) => Promise<OrderStatus> },
  until: (s: OrderStatus) => boolean,
) {
  for (let i = 0; i < 200; i++) {
    const status = await handle.query(getStatusQuery);
    if (until(status)) return status;
    await sleep(100);
  }
  throw new Error('the order never reached the expected state');
}

test('happy path: four steps in order, each effect once, each step names its worker', async () => {
  const order = testOrder('happy');
  const handle = await worker.start(order);
  const result = await handle.result();

  expect(result.status.state).toBe('COMPLETED');
  expect(result.status.completedSteps).toEqual([
    'reserveInventory',
    'chargeCustomer',
    'createShipment',
    'notifyCustomer',
  ]);
  expect(result.status.compensations).toEqual([]);
  for (const step of result.status.steps) {
    expect(step.worker).toBe(worker.identity);
    expect(Date.parse(step.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(step.startedAt ?? ''));
  }
  expect(result.totalCents).toBe(order.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0));
  expect(result.trackingNumber).toMatch(/^TRK-/);
  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship', 'notify']);
  // The query still answers after the order is done.
  expect((await handle.query(getStatusQuery)).state).toBe('COMPLETED');
});

test.each([
  {
    scenario: 'out-of-stock' as const,
    type: 'OutOfStock',
    failedStep: 'reserveInventory',
    compensations: [['releaseInventory', 'nothing to undo']],
    effects: ['release'],
  },
  {
    scenario: 'decline' as const,
    type: 'PaymentDeclined',
    failedStep: 'chargeCustomer',
    compensations: [
      ['refundPayment', 'nothing to undo'],
      ['releaseInventory', 'released reservation'],
    ],
    effects: ['reserve', 'refund', 'release'],
  },
  {
    scenario: 'bad-address' as const,
    type: 'InvalidAddress',
    failedStep: 'createShipment',
    compensations: [
      ['cancelShipment', 'nothing to undo'],
      ['refundPayment', 'refunded'],
      ['releaseInventory', 'released reservation'],
    ],
    effects: ['reserve', 'charge', 'cancel-shipment', 'refund', 'release'],
  },
])('business failure at $failedStep ($scenario): compensations in reverse order, then FAILED', async (c) => {
  const order = testOrder(c.scenario);
  const handle = await worker.start(order);
  const failure = await failureOf(handle);

  expect(failure.type).toBe(c.type);
  expect(failure.message).toContain(`failed at ${c.failedStep}`);
  const status = statusIn(failure);
  expect(status.state).toBe('FAILED');
  expect(status.compensations.map((x) => x.compensation)).toEqual(c.compensations.map(([name]) => name));
  status.compensations.forEach((x, i) => expect(x.detail).toContain(c.compensations[i][1]));
  expect(status.steps.find((s) => s.status === 'failed')?.step).toBe(c.failedStep);
  expect((await handle.query(getStatusQuery)).state).toBe('FAILED');
  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual(c.effects);
});

test('a notification failure after shipping is recorded, not rolled back', async () => {
  const order = testOrder('notify-outage');
  const result = await (await worker.start(order)).result();
  expect(result.status.state).toBe('COMPLETED');
  expect(result.notified).toBe(false);
  expect(result.status.notificationError).toContain('could not deliver');
  expect(result.status.compensations).toEqual([]);
  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship']);
});

test('a shipping outage is retried with backoff and the order completes with one shipment', async () => {
  const order = testOrder('shipping-outage');
  const result = await (await worker.start(order)).result();
  const shipping = result.status.steps.find((s) => s.step === 'createShipment');
  expect(shipping?.attempt).toBe(4);
  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual(['reserve', 'charge', 'ship', 'notify']);
});

test('a charge whose response is lost (attempt timed out) is retried and recorded once, not twice', async () => {
  const order = testOrder('happy', { timeoutAfterEffect: ['chargeCustomer'] });
  const result = await (await worker.start(order)).result();
  const charge = result.status.steps.find((s) => s.step === 'chargeCustomer');
  expect(charge?.attempt).toBe(2);
  expect(charge?.detail).toContain('already done');
  const charges = (await effectsOf(worker.journal, order.orderId)).filter((e) => e.effect === 'charge');
  expect(charges).toHaveLength(1);
  expect(charges[0].attempt).toBe(1);
});

test('cancelOrder before shipment: the charge in flight stops, everything is undone, the order is CANCELLED', async () => {
  const order = testOrder('happy', { slowStep: { step: 'chargeCustomer', durationMs: 30_000 } });
  const handle = await worker.start(order);
  await waitForStatus(handle, (s) => s.state === 'CHARGING_PAYMENT');
  const accepted = await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'customer changed their mind' }] });
  expect(accepted.cancelRequested?.reason).toBe('customer changed their mind');

  const failure = await failureOf(handle);
  expect(failure.type).toBe('OrderCancelled');
  expect(failure.message).toContain('customer changed their mind');
  const status = statusIn(failure);
  expect(status.state).toBe('CANCELLED');
  expect(status.compensations.map((c) => [c.compensation, c.detail])).toEqual([
    ['refundPayment', 'nothing to undo'],
    ['releaseInventory', expect.stringContaining('released')],
  ]);
  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual(['reserve', 'refund', 'release']);
});

test('cancelOrder after shipment is rejected by the validator and the order completes', async () => {
  const order = testOrder('happy', { slowStep: { step: 'notifyCustomer', durationMs: 3_000 } });
  const handle = await worker.start(order);
  await waitForStatus(handle, (s) => s.completedSteps.includes('createShipment'));
  const rejection = await handle
    .executeUpdate(cancelOrderUpdate, { args: [{ reason: 'too late' }] })
    .catch((e: unknown) => e);
  expect(rejection).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((rejection as WorkflowUpdateFailedError).cause?.message).toMatch(/shipment exists/);
  const result = await handle.result();
  expect(result.status.state).toBe('COMPLETED');
  expect(result.status.cancelRequested).toBeUndefined();
  // A rejected update leaves no trace in the history.
  expect(await historyEventTypes(handle)).not.toContain(
    String(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
  );
});

test('cancelling the workflow itself also compensates, and the workflow ends Canceled', async () => {
  const order = testOrder('happy', { slowStep: { step: 'createShipment', durationMs: 30_000 } });
  const handle = await worker.start(order);
  await waitForStatus(handle, (s) => s.state === 'CREATING_SHIPMENT');
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow();
  const description = await handle.describe();
  expect(description.status.name).toBe('CANCELLED');
  const status = await handle.query(getStatusQuery);
  expect(status.state).toBe('CANCELLED');
  expect(status.compensations.map((c) => c.compensation)).toEqual([
    'cancelShipment',
    'refundPayment',
    'releaseInventory',
  ]);
  expect(effectKinds(await effectsOf(worker.journal, order.orderId))).toEqual([
    'reserve',
    'charge',
    'cancel-shipment',
    'refund',
    'release',
  ]);
});

test.each([
  ['not an object', 'a string', /the order must be a JSON object/],
  [
    'missing fields',
    {},
    /orderId must be.*customer must be an object.*items must be a non-empty array.*shippingAddress must be an object.*paymentToken must be/,
  ],
  [
    'bad item values',
    {
      ...testOrder(),
      items: [
        { sku: 'A', quantity: -1, unitPriceCents: 10.5 },
        { sku: 'A', quantity: 1, unitPriceCents: 1 },
      ],
    },
    /items\[0\]\.quantity must be between 1 and 1000 \(got -1\).*items\[0\]\.unitPriceCents must be an integer.*items\[1\]\.sku "A" appears twice/,
  ],
])(
  'invalid order (%s) fails with InvalidOrder, runs no activity, touches no journal',
  async (_name, input, message) => {
    const before = (await worker.journal.entries()).length;
    const handle = await worker.start(input);
    const failure = await failureOf(handle);
    expect(failure.type).toBe('InvalidOrder');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(message);
    expect((await worker.journal.entries()).length).toBe(before);
    const events = await historyEventTypes(handle);
    expect(events).not.toContain(String(temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
    expect(events).toContain(String(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED));
  },
);
