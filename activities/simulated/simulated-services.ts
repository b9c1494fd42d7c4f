/**
 * Simulated inventory, payment, shipping and notification services. They take realistic time, act out the
 * order's scenario and faults (see domain/scenarios.ts), and record every effect in the journal exactly once.
 */

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { ACTIVITY_HEARTBEAT_TIMEOUT_MS } from '../../config/settings';
import {
  EffectVoided,
  InvalidAddress,
  NotificationFailed,
  OutOfStock,
  PaymentDeclined,
  ServiceUnavailable,
} from '../../domain/errors';
import type { FaultPlan } from '../../domain/faults';
import { orderTotalCents, type Order } from '../../domain/order';
import { faultsFor } from '../../domain/scenarios';
import type { Charge, Notification, Reservation, Shipment, UndoOutcome } from '../../domain/status';
import type { Compensation, ForwardStep } from '../../domain/steps';
import { EffectVoidedError, type EffectKind, type JournalEntry, type Recorded } from '../journal';
import type { EffectLedger } from '../ledger/effect-ledger';
import type { CallContext, ShopFlowServices, UndoContext } from '../services';
import { REALISTIC_LATENCY_MS, type LatencyProfile } from './latency';
import { notificationMessage } from './notification-message';

export interface SimulationOptions {
  /** Where effects are recorded: the journal file or the shared DynamoDB table. */
  journal: EffectLedger;
  latency?: LatencyProfile;
  /** How long a "timeout after effect" attempt stays silent: past the heartbeat timeout, so the server retries. */
  stallMs?: number;
}

/** Ids derived from the idempotency key: a repeated call would produce the same id anyway. */
function idFrom(prefix: string, key: string): string {
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

interface ForwardSpec<T> {
  step: ForwardStep;
  effect: EffectKind;
  service: string;
  /** Throws the business failure this order's faults call for, if any. */
  check(order: Order, faults: FaultPlan): void;
  result(order: Order, key: string): T;
}

interface UndoSpec {
  compensation: Compensation;
  effect: EffectKind;
  describe(original: JournalEntry): string;
}

export function createSimulatedServices(options: SimulationOptions): ShopFlowServices {
  const { journal } = options;
  const latency = options.latency ?? REALISTIC_LATENCY_MS;
  const stallMs = options.stallMs ?? ACTIVITY_HEARTBEAT_TIMEOUT_MS + 2_000;

  async function forward<T>(spec: ForwardSpec<T>, order: Order, call: CallContext): Promise<Recorded<T>> {
    const done = await journal.find(call.idempotencyKey);
    if (done) return { result: done.result as T, deduplicated: true };
    const faults = faultsFor(order);
    const slow = faults.slowStep?.step === spec.step ? faults.slowStep.durationMs : 0;
    await call.work(Math.max(slow, latency[spec.step]));
    const outageAttempts = faults.transientFailures?.[spec.step] ?? 0;
    if (call.attempt <= outageAttempts) {
      throw ApplicationFailure.retryable(
        `${spec.service} unavailable (simulated outage: attempt ${call.attempt} of the first ${outageAttempts} fails)`,
        ServiceUnavailable,
      );
    }
    spec.check(order, faults);
    const recorded = await journal
      .recordOnce<T>(call.idempotencyKey, () => ({
        effect: spec.effect,
        orderId: order.orderId,
        result: spec.result(order, call.idempotencyKey),
        worker: call.worker,
        attempt: call.attempt,
      }))
      .catch((err: unknown) => {
        // A late attempt whose undo already ran: retrying could never make it right.
        if (err instanceof EffectVoidedError) throw ApplicationFailure.nonRetryable(err.message, EffectVoided);
        throw err;
      });
    if (!recorded.deduplicated && call.attempt === 1 && faults.timeoutAfterEffect?.includes(spec.step)) {
      // The effect happened, but the caller never hears back: stay silent until the attempt times out.
      await sleep(stallMs);
      throw ApplicationFailure.retryable(
        `${spec.service} response lost (simulated timeout after the effect)`,
        ServiceUnavailable,
      );
    }
    return recorded;
  }

  async function undo(spec: UndoSpec, order: Order, call: UndoContext): Promise<Recorded<UndoOutcome>> {
    const done = await journal.find(call.idempotencyKey);
    if (done) return { result: done.result as UndoOutcome, deduplicated: true };
    await call.work(latency[spec.compensation]);
    return journal.recordUndo<UndoOutcome>(call.idempotencyKey, call.undoKey, (original) => ({
      effect: spec.effect,
      orderId: order.orderId,
      // Nothing to undo is a normal outcome: the step failed before it had any effect.
      result: original
        ? { undone: true, detail: spec.describe(original) }
        : { undone: false, detail: 'nothing to undo' },
      worker: call.worker,
      attempt: call.attempt,
    }));
  }

  return {
    inventory: {
      reserve: (order, call) =>
        forward<Reservation>(
          {
            step: 'reserveInventory',
            effect: 'reserve',
            service: 'inventory service',
            check: (o, faults) => {
              const missing = o.items.filter((item) => faults.outOfStockSkus?.includes(item.sku)).map((i) => i.sku);
              if (missing.length > 0)
                throw ApplicationFailure.nonRetryable(`out of stock: ${missing.join(', ')}`, OutOfStock);
            },
            result: (o, key) => ({ reservationId: idFrom('res', key), skus: o.items.map((i) => i.sku) }),
          },
          order,
          call,
        ),
      release: (order, call) =>
        undo(
          {
            compensation: 'releaseInventory',
            effect: 'release',
            describe: (e) => `released reservation ${(e.result as Reservation).reservationId}`,
          },
          order,
          call,
        ),
    },
    payments: {
      charge: (order, call) =>
        forward<Charge>(
          {
            step: 'chargeCustomer',
            effect: 'charge',
            service: 'payment service',
            check: (_o, faults) => {
              if (faults.declinePayment)
                throw ApplicationFailure.nonRetryable('card declined by the issuer', PaymentDeclined);
            },
            result: (o, key) => ({ chargeId: idFrom('ch', key), amountCents: orderTotalCents(o) }),
          },
          order,
          call,
        ),
      refund: (order, call) =>
        undo(
          {
            compensation: 'refundPayment',
            effect: 'refund',
            describe: (e) => `refunded ${(e.result as Charge).amountCents} cents of ${(e.result as Charge).chargeId}`,
          },
          order,
          call,
        ),
    },
    shipping: {
      ship: (order, call) =>
        forward<Shipment>(
          {
            step: 'createShipment',
            effect: 'ship',
            service: 'shipping carrier',
            check: (o, faults) => {
              if (faults.rejectAddress) {
                throw ApplicationFailure.nonRetryable(
                  `the carrier cannot deliver to ${o.shippingAddress.city}, ${o.shippingAddress.country}`,
                  InvalidAddress,
                );
              }
            },
            result: (_o, key) => ({ shipmentId: idFrom('shp', key), trackingNumber: idFrom('TRK', key).toUpperCase() }),
          },
          order,
          call,
        ),
      cancel: (order, call) =>
        undo(
          {
            compensation: 'cancelShipment',
            effect: 'cancel-shipment',
            describe: (e) => `cancelled shipment ${(e.result as Shipment).shipmentId}`,
          },
          order,
          call,
        ),
    },
    notifications: {
      notify: (order, call) =>
        forward<Notification>(
          {
            step: 'notifyCustomer',
            effect: 'notify',
            service: 'notification service',
            check: (o, faults) => {
              if (faults.notificationDown) {
                throw ApplicationFailure.nonRetryable(
                  `could not deliver the confirmation to ${o.customer.email}`,
                  NotificationFailed,
                );
              }
            },
            result: (o, key) => ({ messageId: idFrom('msg', key), detail: `sent "${notificationMessage(o)}"` }),
          },
          order,
          call,
        ),
    },
  };
}
