/**
 * What must hold after a chaos run, checked from the effect journal and how each order ended. Pure: it takes the
 * journal's entries (every line, duplicates included) and the orders, and returns the violations, so each rule is
 * unit-tested with hand-made journals (test/unit/chaos-invariants.test.ts).
 */

import type { JournalEntry } from '../../activities/journal';

export type TerminalState = 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface OrderOutcome {
  orderId: string;
  workflowId: string;
  /** How the order must end, from its scenario (and faults chosen to stay within the retry budget). */
  expected: 'COMPLETED' | 'FAILED';
  /** Set when an outside cancellation makes more than the scenario's ending right (outside-cancellations.ts). */
  acceptable?: TerminalState[];
  /** For an order that must fail: the failure type its scenario implies (a declined card, say). */
  expectedFailureType?: string;
  /** How it ended; undefined when it never finished (or could not be found) before the deadline. */
  state?: TerminalState;
  /** For a failed or cancelled order: the failure's type. */
  failureType?: string;
  /** For an order that did not finish: what the server said about it, for the report. */
  note?: string;
}

export const INVARIANTS = {
  'expected-outcome': 'every order reached the terminal state its scenario implies, a failed one for its reason',
  'no-order-lost': 'every submitted order finished before the deadline',
  'effect-once': 'each idempotency key was recorded once',
  'known-orders-only': 'every effect belongs to a submitted order',
  'single-charge': 'no order was charged twice',
  'reservation-settled': 'every reservation was either shipped or released',
  'failed-order-refunded': 'every charge of a failed order was refunded',
  'failed-order-shipment-cancelled': 'no shipment of a failed order was left uncancelled',
  'completed-order-intact': 'a completed order was reserved, charged and shipped, and none of it undone',
  // Checked by the run itself (machinery/chaos/reconnection.ts), not from the journal:
  'lock-never-shared': 'a journal lock holder frozen past the old 3 s stale time still owned its lock when it woke',
  'torn-lines-repaired': 'every line torn by a dying writer was moved aside, and the journal went on from a fresh line',
  'outside-cancel-recorded': 'an order cancelled from outside recorded whether it was rolled back or declined',
  'reconnected-after-restart': 'after the server restart the client, the local worker and the Lambda worked again',
  'worker-died-only-when-killed': 'the local worker exited only when the run killed it',
  'lambda-finishes-alone': 'with no local worker up, an order finished on the Lambda alone',
} as const;
export type InvariantName = keyof typeof INVARIANTS;

export interface Violation {
  invariant: InvariantName;
  orderId?: string;
  detail: string;
}

const FAILED_STATES: ReadonlySet<TerminalState | undefined> = new Set(['FAILED', 'CANCELLED']);

function undone(entry: JournalEntry | undefined): boolean {
  return (entry?.result as { undone?: boolean } | undefined)?.undone === true;
}

type Flag = (invariant: InvariantName, detail: string, orderId?: string) => void;

export function checkInvariants(orders: readonly OrderOutcome[], journal: readonly JournalEntry[]): Violation[] {
  const violations: Violation[] = [];
  const flag: Flag = (invariant, detail, orderId) => violations.push({ invariant, orderId, detail });

  const byKey = new Map<string, JournalEntry>();
  for (const entry of journal) {
    if (byKey.has(entry.key)) flag('effect-once', `${entry.key} recorded more than once`, entry.orderId);
    else byKey.set(entry.key, entry);
  }
  const entries = [...byKey.values()];
  /** The undo recorded for a forward effect, if any. */
  const undoOf = new Map(entries.filter((e) => e.undoes).map((e) => [e.undoes!, e]));
  const orderIds = new Set(orders.map((o) => o.orderId));
  for (const orderId of new Set(entries.map((e) => e.orderId))) {
    if (!orderIds.has(orderId))
      flag('known-orders-only', `effects recorded for ${orderId}, which was never submitted`, orderId);
  }

  for (const order of orders) {
    checkOutcome(order, flag);
    checkEffects(
      order,
      entries.filter((e) => e.orderId === order.orderId),
      undoOf,
      flag,
    );
  }
  return violations;
}

/** The order finished, as its scenario expects (and failed, if it did, for the scenario's reason). */
function checkOutcome(order: OrderOutcome, flag: Flag): void {
  const { orderId, state } = order;
  if (state === undefined)
    flag('no-order-lost', `${order.workflowId} did not finish${order.note ? `: ${order.note}` : ''}`, orderId);
  else if (!(order.acceptable ?? [order.expected]).includes(state))
    flag(
      'expected-outcome',
      `${order.workflowId} ended ${state}, expected ${(order.acceptable ?? [order.expected]).join(' or ')}`,
      orderId,
    );
  else if (state === 'FAILED' && order.expectedFailureType && order.failureType !== order.expectedFailureType) {
    // Failed, but not for the scenario's reason: retries worn out by chaos would look like this.
    flag(
      'expected-outcome',
      `${order.workflowId} ended ${state} with ${order.failureType ?? 'no failure type'}, expected ${order.expectedFailureType}`,
      orderId,
    );
  }
}

/** The order's effects in the journal: one charge, each reservation settled, undone on failure, whole on success. */
function checkEffects(
  order: OrderOutcome,
  effects: JournalEntry[],
  undoOf: ReadonlyMap<string, JournalEntry>,
  flag: Flag,
): void {
  const { orderId, state } = order;
  const of = (kind: JournalEntry['effect']) => effects.filter((e) => e.effect === kind);

  const charges = of('charge');
  if (charges.length > 1)
    flag('single-charge', `${charges.length} charges: ${charges.map((c) => c.key).join(', ')}`, orderId);

  const liveShipments = of('ship').filter((s) => !undone(undoOf.get(s.key)));
  for (const reservation of of('reserve')) {
    const released = undone(undoOf.get(reservation.key));
    const shipped = liveShipments.length > 0;
    if (shipped === released) {
      flag(
        'reservation-settled',
        `reservation ${reservation.key} is ${shipped ? 'both shipped and released' : 'neither shipped nor released'}`,
        orderId,
      );
    }
  }

  if (FAILED_STATES.has(state)) {
    for (const charge of charges) {
      if (!undone(undoOf.get(charge.key)))
        flag(
          'failed-order-refunded',
          `${order.workflowId} ended ${state} but charge ${charge.key} was not refunded`,
          orderId,
        );
    }
    for (const shipment of liveShipments) {
      flag(
        'failed-order-shipment-cancelled',
        `${order.workflowId} ended ${state} but shipment ${shipment.key} was not cancelled`,
        orderId,
      );
    }
  }

  if (state === 'COMPLETED') {
    const missing = (['reserve', 'charge', 'ship'] as const).filter((kind) => of(kind).length === 0);
    const undoneEffects = effects.filter((e) => e.undoes && undone(e)).map((e) => e.effect);
    if (missing.length > 0 || undoneEffects.length > 0) {
      const problems = [...missing.map((m) => `no ${m}`), ...undoneEffects.map((u) => `a ${u} ran`)];
      flag('completed-order-intact', `${order.workflowId} COMPLETED with ${problems.join(', ')}`, orderId);
    }
  }
}
