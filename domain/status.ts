/** What the workflow reports about an order: the `getStatus` query's answer and the workflow's result. */

import type { Compensation, ForwardStep } from './steps';

export type OrderState =
  | 'VALIDATING'
  | 'RESERVING_INVENTORY'
  | 'CHARGING_PAYMENT'
  | 'CREATING_SHIPMENT'
  | 'NOTIFYING_CUSTOMER'
  | 'COMPENSATING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED';

/** What an activity reports back besides its result: who ran it, when, on which attempt. */
export interface Receipt<T> {
  result: T;
  /** Worker identity: `<pid>@<host>` for a local worker, `<requestId>@<functionArn>` for Lambda. */
  worker: string;
  attempt: number;
  startedAt: string;
  finishedAt: string;
  /** True when the idempotency key had already been used, so the first result was returned and nothing happened. */
  deduplicated: boolean;
}

export interface StepRecord {
  step: ForwardStep;
  status: 'running' | 'completed' | 'failed';
  worker?: string;
  attempt?: number;
  startedAt?: string;
  finishedAt?: string;
  detail?: string;
}

export interface CompensationRecord {
  compensation: Compensation;
  status: 'running' | 'completed';
  /** What the service said: for example `refunded 4200 cents` or `nothing to undo`. */
  detail?: string;
  worker?: string;
  finishedAt?: string;
}

export interface OrderStatus {
  orderId: string;
  state: OrderState;
  totalCents: number;
  completedSteps: ForwardStep[];
  steps: StepRecord[];
  compensations: CompensationRecord[];
  cancelRequested?: { reason: string; at: string };
  /**
   * A workflow cancellation sent from outside (the Web UI's "Request Cancellation", `temporal workflow cancel`).
   * Before the shipment exists it rolls the order back, as cancelOrder does; once it exists it is declined: the
   * order completes and the goods stay shipped.
   */
  outsideCancellation?: { at: string; outcome: 'pending' | 'rolled-back' | 'declined' };
  failure?: { type: string; message: string };
  /** A notification that failed after shipping: recorded, never rolled back. */
  notificationError?: string;
}

export interface OrderResult {
  orderId: string;
  reservationId: string;
  chargeId: string;
  shipmentId: string;
  trackingNumber: string;
  totalCents: number;
  notified: boolean;
  status: OrderStatus;
}

/** Results of the simulated services. */
export interface Reservation {
  reservationId: string;
  skus: string[];
}
export interface Charge {
  chargeId: string;
  amountCents: number;
}
export interface Shipment {
  shipmentId: string;
  trackingNumber: string;
}
export interface Notification {
  messageId: string;
  /** What was sent, as the board and the starter show it (`sent "Order ... confirmed ..."`). */
  detail?: string;
}
export interface UndoOutcome {
  undone: boolean;
  detail: string;
}

export interface CancelOrderRequest {
  reason?: string;
}

/** The reason an accepted cancelOrder is recorded with: the request's own, trimmed, or a default when it gave none. */
export function cancelReason(request: { reason?: unknown } | undefined): string {
  const reason = typeof request?.reason === 'string' ? request.reason.trim() : '';
  return reason || 'cancelled by request';
}
