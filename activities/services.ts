/**
 * The outside services the saga talks to. The activities are built over these interfaces, so tests and
 * benchmarks can inject their own; the default implementations are the simulated ones in activities/simulated/.
 */

import type { Order } from '../domain/order';
import type { Charge, Notification, Reservation, Shipment, UndoOutcome } from '../domain/status';
import type { Recorded } from './journal';

/** What a service call knows about the attempt that makes it. */
export interface CallContext {
  idempotencyKey: string;
  worker: string;
  attempt: number;
  /** Spend `ms` working: heartbeats while waiting, resumes from earlier progress, and stops when cancelled. */
  work(ms: number): Promise<void>;
}

/** An undo names the forward effect it undoes. */
export interface UndoContext extends CallContext {
  undoKey: string;
}

export interface InventoryService {
  reserve(order: Order, call: CallContext): Promise<Recorded<Reservation>>;
  release(order: Order, call: UndoContext): Promise<Recorded<UndoOutcome>>;
}

export interface PaymentService {
  charge(order: Order, call: CallContext): Promise<Recorded<Charge>>;
  refund(order: Order, call: UndoContext): Promise<Recorded<UndoOutcome>>;
}

export interface ShippingService {
  ship(order: Order, call: CallContext): Promise<Recorded<Shipment>>;
  cancel(order: Order, call: UndoContext): Promise<Recorded<UndoOutcome>>;
}

export interface NotificationService {
  notify(order: Order, call: CallContext): Promise<Recorded<Notification>>;
}

export interface ShopFlowServices {
  inventory: InventoryService;
  payments: PaymentService;
  shipping: ShippingService;
  notifications: NotificationService;
}
