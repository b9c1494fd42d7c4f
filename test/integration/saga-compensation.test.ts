/**
 * The saga's compensation logic with fake services injected (the activity factory's dependency injection):
 * whatever step fails, exactly the compensations registered so far run, newest first, and a compensation that
 * fails is retried until it succeeds.
 */

import { ApplicationFailure } from '@temporalio/common';
import type { Recorded } from '../../activities/journal';
import type { CallContext, ShopFlowServices } from '../../activities/services';
import { failureOf, statusIn } from '../support/assertions';
import { testOrder } from '../support/orders';
import { startTestWorker, type TestWorker } from '../support/test-worker';

type Call = string;

interface FakeBehaviour {
  calls: Call[];
  /** The call that fails for good (read at call time, so each test sets its own). */
  failAt?: string;
  /** A compensation that fails its first attempts. */
  flaky: { name: string; failures: number };
}

/** Services that succeed, except `failAt`, and record every call in order. */
function fakeServices(behaviour: FakeBehaviour): ShopFlowServices {
  const ok =
    <T>(name: string, result: T) =>
    async (_order: unknown, call: CallContext): Promise<Recorded<T>> => {
      behaviour.calls.push(name);
      if (name === behaviour.failAt) throw ApplicationFailure.nonRetryable(`${name} failed for good`, 'TestFailure');
      if (behaviour.flaky.name === name && call.attempt <= behaviour.flaky.failures)
        throw new Error(`${name} is flaky`);
      return { result, deduplicated: false };
    };
  const undone = { undone: true, detail: 'undone by fake' };
  return {
    inventory: { reserve: ok('reserve', { reservationId: 'r', skus: [] }), release: ok('release', undone) },
    payments: { charge: ok('charge', { chargeId: 'c', amountCents: 1 }), refund: ok('refund', undone) },
    shipping: { ship: ok('ship', { shipmentId: 's', trackingNumber: 't' }), cancel: ok('cancel', undone) },
    notifications: { notify: ok('notify', { messageId: 'm' }) },
  };
}

const behaviour: FakeBehaviour = { calls: [], flaky: { name: 'refund', failures: 2 } };
const calls = behaviour.calls;
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker({ services: fakeServices(behaviour) });
});
afterAll(async () => {
  await worker?.stop();
});
beforeEach(() => {
  calls.length = 0;
});

test.each([
  ['reserve', ['reserve', 'release']],
  ['charge', ['reserve', 'charge', 'refund', 'refund', 'refund', 'release']],
  ['ship', ['reserve', 'charge', 'ship', 'cancel', 'refund', 'refund', 'refund', 'release']],
])('when %s fails for good, the registered compensations run newest first', async (step, expected) => {
  behaviour.failAt = step;
  const failure = await failureOf(await worker.start(testOrder()));
  expect(failure.type).toBe('TestFailure');
  expect(calls).toEqual(expected);
  // The flaky refund was retried until it succeeded: attempts 1 and 2 failed, 3 succeeded.
  const status = statusIn(failure);
  expect(status.compensations.every((c) => c.status === 'completed')).toBe(true);
});

test('nothing is compensated when every step succeeds', async () => {
  behaviour.failAt = undefined;
  const result = await (await worker.start(testOrder())).result();
  expect(calls).toEqual(['reserve', 'charge', 'ship', 'notify']);
  expect(result.status.compensations).toEqual([]);
});
