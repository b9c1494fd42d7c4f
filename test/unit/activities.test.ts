/** The activities in an activity context (MockActivityEnvironment) over the simulated services and a real journal. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, EffectJournal } from '../../activities';
import { createSimulatedServices } from '../../activities/simulated/simulated-services';
import type { OrderActivities } from '../../domain/activity-contract';
import type { Charge, Receipt, UndoOutcome } from '../../domain/status';
import { sampleOrder } from '../../client/sample-order';

/** An activity context whose logger stays quiet unless something goes wrong. */
function mockEnvironment(info: ConstructorParameters<typeof MockActivityEnvironment>[0] = {}) {
  return new MockActivityEnvironment(info, { logger: new DefaultLogger('WARN') });
}

let journal: EffectJournal;
let activities: OrderActivities;
const latency = {
  reserveInventory: 0,
  chargeCustomer: 0,
  createShipment: 0,
  notifyCustomer: 0,
  releaseInventory: 0,
  refundPayment: 0,
  cancelShipment: 0,
};

beforeEach(() => {
  journal = new EffectJournal(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acts-')), 'j.jsonl'));
  activities = createActivities({
    services: createSimulatedServices({ journal, latency, stallMs: 10 }),
    workerIdentity: () => '42@laptop',
  });
});

const order = sampleOrder('ord-a', 'happy');
const input = { order, idempotencyKey: 'order-ord-a:chargeCustomer' };

test('a receipt names the worker and attempt, and the repeat call is deduplicated', async () => {
  const first = (await mockEnvironment({ attempt: 1 }).run(activities.chargeCustomer, input)) as Receipt<Charge>;
  expect(first).toMatchObject({ worker: '42@laptop', attempt: 1, deduplicated: false, result: { amountCents: 7_399 } });
  const again = await mockEnvironment({ attempt: 2 }).run(activities.chargeCustomer, input);
  expect(again).toMatchObject({ attempt: 2, deduplicated: true, result: first.result });
  expect((await journal.entries()).filter((e) => e.effect === 'charge')).toHaveLength(1);
});

test('a declined card is a non-retryable PaymentDeclined, and nothing is charged', async () => {
  const declined = { ...input, order: sampleOrder('ord-b', 'decline') };
  const error = await mockEnvironment()
    .run(activities.chargeCustomer, declined)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'PaymentDeclined', nonRetryable: true });
  expect(await journal.entries()).toEqual([]);
});

test('an outage fails the first N attempts with a retryable error, then succeeds', async () => {
  const outage = { order: sampleOrder('ord-c', 'shipping-outage'), idempotencyKey: 'order-ord-c:createShipment' };
  for (const attempt of [1, 2, 3]) {
    const error = await mockEnvironment({ attempt })
      .run(activities.createShipment, outage)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'ServiceUnavailable', nonRetryable: false });
  }
  await expect(mockEnvironment({ attempt: 4 }).run(activities.createShipment, outage)).resolves.toMatchObject({
    attempt: 4,
  });
});

test('an undo with nothing to undo says so, and records that the effect is void', async () => {
  const receipt = (await mockEnvironment().run(activities.refundPayment, {
    order,
    idempotencyKey: 'order-ord-a:refundPayment',
    undoKey: 'order-ord-a:chargeCustomer',
  })) as Receipt<UndoOutcome>;
  expect(receipt.result).toEqual({ undone: false, detail: 'nothing to undo' });
  // A late charge attempt after the refund ran is refused.
  await expect(mockEnvironment().run(activities.chargeCustomer, input)).rejects.toMatchObject({ type: 'EffectVoided' });
});

test('slow work heartbeats its progress and a retry resumes from it', async () => {
  const slow = {
    order: { ...order, faults: { slowStep: { step: 'createShipment' as const, durationMs: 2_500 } } },
    idempotencyKey: 'k-slow',
  };
  const env = mockEnvironment({ attempt: 2, heartbeatDetails: { progressMs: 1_000 } });
  const beats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => beats.push(details));
  const started = Date.now();
  await env.run(activities.createShipment, slow);
  expect(Date.now() - started).toBeLessThan(2_300);
  expect(beats).toEqual([{ progressMs: 1_000 }, { progressMs: 2_000 }, { progressMs: 2_500 }]);
});

test('cancellation interrupts slow work before the effect happens', async () => {
  const slow = {
    order: { ...order, faults: { slowStep: { step: 'chargeCustomer' as const, durationMs: 30_000 } } },
    idempotencyKey: 'k-cancel',
  };
  const env = mockEnvironment();
  const running = env.run(activities.chargeCustomer, slow);
  setTimeout(() => env.cancel(), 50);
  await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  expect(await journal.find('k-cancel')).toBeUndefined();
});
