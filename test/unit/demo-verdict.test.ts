/** The demo's verdict: Lambda work counts failed steps and compensations, and each reason to exit 1 is named. */

import { demoProblems, lambdaWork, type EndedOrder } from '../../demo/verdict';
import type { ObservedActivity, OrderProgress } from '../../client/order-progress';

const LAMBDA = 'req-1@arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker:1';
const LOCAL = '4242@laptop';

function activity(name: ObservedActivity['name'], state: ObservedActivity['state'], worker?: string): ObservedActivity {
  const kind =
    name.startsWith('refund') || name.startsWith('release') || name.startsWith('cancel') ? 'compensation' : 'step';
  return { name, kind, state, attempt: 1, worker };
}

function order(
  state: EndedOrder['state'],
  steps: ObservedActivity[],
  compensations: ObservedActivity[] = [],
  failureType?: string,
): EndedOrder {
  const progress: OrderProgress = { workflowId: 'order-1', state, steps, compensations, eventCount: 0 };
  return {
    workflowId: 'order-1',
    state,
    progress,
    failure: failureType ? { type: failureType, message: 'x' } : undefined,
  };
}

const declinedOnLambda = order(
  'FAILED',
  [activity('reserveInventory', 'completed', LOCAL), activity('chargeCustomer', 'failed', LAMBDA)],
  [activity('refundPayment', 'completed', LAMBDA), activity('releaseInventory', 'completed', LAMBDA)],
  'PaymentDeclined',
);

test('a declined order: its failed charge and both undos count as Lambda work, and nothing is wrong', () => {
  expect(lambdaWork([declinedOnLambda])).toBe(3);
  expect(demoProblems({ scenario: 'decline', orders: [declinedOnLambda], duplicateKeys: 0 })).toEqual([]);
});

test('a step still pending or scheduled on a Lambda identity is not work done', () => {
  expect(lambdaWork([order('COMPLETED', [activity('createShipment', 'scheduled', LAMBDA)])])).toBe(0);
});

test('each problem is named: an unexpected ending, no Lambda work, a duplicate effect', () => {
  const allLocal = order('COMPLETED', [activity('reserveInventory', 'completed', LOCAL)]);
  expect(demoProblems({ scenario: 'decline', orders: [allLocal], duplicateKeys: 2 })).toEqual([
    'order-1: the scenario expects FAILED',
    expect.stringMatching(/^no step or compensation ran on the Lambda: .*registered/),
    '2 effect(s) in the journal share an idempotency key: something happened twice',
  ]);
});
