/** The chaos run's invariants, on hand-made journals: for each rule, a run that passes and one that is flagged. */

import type { JournalEntry } from '../../activities/journal';
import { checkInvariants, type InvariantName, type OrderOutcome } from '../../machinery/chaos/invariants';

const wf = (orderId: string) => `order-${orderId}`;

function effect(
  orderId: string,
  effect: JournalEntry['effect'],
  step: string,
  extra: Partial<JournalEntry> = {},
): JournalEntry {
  return {
    key: `${wf(orderId)}:${step}`,
    effect,
    orderId,
    result: {},
    worker: '1@host',
    attempt: 1,
    at: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function undo(
  orderId: string,
  kind: 'release' | 'refund' | 'cancel-shipment',
  step: string,
  undoes: string,
  didUndo = true,
): JournalEntry {
  return effect(orderId, kind, step, {
    undoes: `${wf(orderId)}:${undoes}`,
    result: { undone: didUndo, detail: didUndo ? 'undone' : 'nothing to undo' },
  });
}

/** A completed order's journal: reserve, charge, ship, notify. */
const completedEffects = (id: string) => [
  effect(id, 'reserve', 'reserveInventory'),
  effect(id, 'charge', 'chargeCustomer'),
  effect(id, 'ship', 'createShipment'),
  effect(id, 'notify', 'notifyCustomer'),
];

/** A bad-address order's journal: reserved and charged, the shipment refused, everything undone. */
const badAddressEffects = (id: string) => [
  effect(id, 'reserve', 'reserveInventory'),
  effect(id, 'charge', 'chargeCustomer'),
  undo(id, 'cancel-shipment', 'cancelShipment', 'createShipment', false),
  undo(id, 'refund', 'refundPayment', 'chargeCustomer'),
  undo(id, 'release', 'releaseInventory', 'reserveInventory'),
];

const order = (
  orderId: string,
  expected: OrderOutcome['expected'],
  state: OrderOutcome['state'] = expected,
): OrderOutcome => ({ orderId, workflowId: wf(orderId), expected, state });

const flagged = (orders: OrderOutcome[], journal: JournalEntry[]): InvariantName[] =>
  checkInvariants(orders, journal).map((v) => v.invariant);

test('a clean run has no violations', () => {
  expect(
    checkInvariants(
      [order('a', 'COMPLETED'), order('b', 'FAILED')],
      [...completedEffects('a'), ...badAddressEffects('b')],
    ),
  ).toEqual([]);
});

describe('expected-outcome', () => {
  test('passes when each order ends as expected', () => {
    expect(flagged([order('a', 'COMPLETED')], completedEffects('a'))).toEqual([]);
  });
  test('flags an order that ended otherwise', () => {
    const violations = checkInvariants([order('a', 'COMPLETED', 'FAILED')], []);
    expect(violations).toEqual([
      { invariant: 'expected-outcome', orderId: 'a', detail: 'order-a ended FAILED, expected COMPLETED' },
    ]);
  });
});

describe("expected-outcome: a failed order failed for its scenario's reason", () => {
  const failed = (failureType?: string): OrderOutcome => ({
    ...order('d', 'FAILED'),
    expectedFailureType: 'PaymentDeclined',
    failureType,
  });
  const declinedEffects = [
    effect('d', 'reserve', 'reserveInventory'),
    undo('d', 'release', 'releaseInventory', 'reserveInventory'),
  ];
  test('passes when the failure type is the expected one', () => {
    expect(flagged([failed('PaymentDeclined')], declinedEffects)).toEqual([]);
  });
  test('flags a decline that failed for another reason (retries worn out by an outage)', () => {
    expect(checkInvariants([failed('ServiceUnavailable')], declinedEffects)).toEqual([
      {
        invariant: 'expected-outcome',
        orderId: 'd',
        detail: 'order-d ended FAILED with ServiceUnavailable, expected PaymentDeclined',
      },
    ]);
  });
  test('flags a failure without a type', () => {
    expect(flagged([failed(undefined)], declinedEffects)).toEqual(['expected-outcome']);
  });
});

describe('no-order-lost', () => {
  test('passes when every order finished', () => {
    expect(flagged([order('a', 'FAILED')], [])).toEqual([]);
  });
  test('flags an order that never finished, with what the server said', () => {
    const violations = checkInvariants(
      [{ orderId: 'a', workflowId: wf('a'), expected: 'COMPLETED', note: 'still RUNNING' }],
      [],
    );
    expect(violations).toEqual([
      { invariant: 'no-order-lost', orderId: 'a', detail: 'order-a did not finish: still RUNNING' },
    ]);
  });
});

describe('effect-once', () => {
  test('passes when every key is recorded once', () => {
    expect(flagged([order('a', 'COMPLETED')], completedEffects('a'))).toEqual([]);
  });
  test('flags a key recorded twice', () => {
    expect(
      flagged([order('a', 'COMPLETED')], [...completedEffects('a'), effect('a', 'notify', 'notifyCustomer')]),
    ).toEqual(['effect-once']);
  });
});

describe('known-orders-only', () => {
  test('passes when effects belong to submitted orders', () => {
    expect(flagged([order('a', 'COMPLETED')], completedEffects('a'))).toEqual([]);
  });
  test('flags effects of an order nobody submitted', () => {
    expect(
      flagged(
        [order('a', 'COMPLETED')],
        [
          ...completedEffects('a'),
          effect('ghost', 'reserve', 'reserveInventory'),
          undo('ghost', 'release', 'releaseInventory', 'reserveInventory'),
        ],
      ),
    ).toEqual(['known-orders-only']);
  });
});

describe('single-charge', () => {
  test('passes with one charge', () => {
    expect(flagged([order('a', 'COMPLETED')], completedEffects('a'))).toEqual([]);
  });
  test('flags a second charge under another key', () => {
    const second = effect('a', 'charge', 'chargeCustomer-retry');
    expect(flagged([order('a', 'COMPLETED')], [...completedEffects('a'), second])).toEqual(['single-charge']);
  });
});

describe('reservation-settled', () => {
  test('passes when the reservation was shipped (completed) or released (failed)', () => {
    expect(
      flagged([order('a', 'COMPLETED'), order('b', 'FAILED')], [...completedEffects('a'), ...badAddressEffects('b')]),
    ).toEqual([]);
  });
  test('flags a reservation neither shipped nor released', () => {
    const journal = [
      effect('a', 'reserve', 'reserveInventory'),
      undo('a', 'refund', 'refundPayment', 'chargeCustomer', false),
    ];
    expect(checkInvariants([order('a', 'FAILED')], journal)).toEqual([
      {
        invariant: 'reservation-settled',
        orderId: 'a',
        detail: 'reservation order-a:reserveInventory is neither shipped nor released',
      },
    ]);
  });
  test('flags a release that found nothing to undo as not released', () => {
    const journal = [
      effect('a', 'reserve', 'reserveInventory'),
      undo('a', 'release', 'releaseInventory', 'reserveInventory', false),
    ];
    expect(flagged([order('a', 'FAILED')], journal)).toEqual(['reservation-settled']);
  });
});

describe('failed-order-refunded', () => {
  test('passes when the failed order was refunded', () => {
    expect(flagged([order('b', 'FAILED')], badAddressEffects('b'))).toEqual([]);
  });
  test('flags a failed order whose charge was kept', () => {
    const journal = badAddressEffects('b').filter((e) => e.effect !== 'refund');
    expect(flagged([order('b', 'FAILED')], journal)).toEqual(['failed-order-refunded']);
  });
});

describe('failed-order-shipment-cancelled', () => {
  const shippedThenFailed = (cancelled: boolean) => [
    effect('c', 'reserve', 'reserveInventory'),
    effect('c', 'charge', 'chargeCustomer'),
    effect('c', 'ship', 'createShipment'),
    undo('c', 'cancel-shipment', 'cancelShipment', 'createShipment', cancelled),
    undo('c', 'refund', 'refundPayment', 'chargeCustomer'),
    undo('c', 'release', 'releaseInventory', 'reserveInventory'),
  ];
  test('passes when the shipment of a failed order was cancelled', () => {
    expect(flagged([order('c', 'FAILED')], shippedThenFailed(true))).toEqual([]);
  });
  test('flags a failed order whose shipment is still on its way', () => {
    // The reservation was shipped *and* released as well, so that rule fires too.
    expect(flagged([order('c', 'FAILED')], shippedThenFailed(false))).toEqual([
      'reservation-settled',
      'failed-order-shipment-cancelled',
    ]);
  });
});

describe('completed-order-intact', () => {
  test('passes when a completed order has its effects and no undo', () => {
    expect(flagged([order('a', 'COMPLETED')], completedEffects('a'))).toEqual([]);
  });
  test('flags a completed order that was refunded', () => {
    const violations = checkInvariants(
      [order('a', 'COMPLETED')],
      [...completedEffects('a'), undo('a', 'refund', 'refundPayment', 'chargeCustomer')],
    );
    expect(violations).toEqual([
      { invariant: 'completed-order-intact', orderId: 'a', detail: 'order-a COMPLETED with a refund ran' },
    ]);
  });
  test('flags a completed order that was never charged', () => {
    expect(
      flagged(
        [order('a', 'COMPLETED')],
        completedEffects('a').filter((e) => e.effect !== 'charge'),
      ),
    ).toEqual(['completed-order-intact']);
  });
});
