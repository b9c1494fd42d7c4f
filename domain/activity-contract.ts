/** The activities the saga calls: a contract shared by the workflow (types only) and the activity factory. */

import type { HaulCheckpoint, HaulChunkInput } from './long-haul';
import type { Order } from './order';
import type { Charge, Notification, Receipt, Reservation, Shipment, UndoOutcome } from './status';

export interface StepInput {
  order: Order;
  /** `<workflowId>:<step>`: the same on every retry and on every worker. */
  idempotencyKey: string;
}

export interface UndoInput extends StepInput {
  /** The idempotency key of the forward step being undone. */
  undoKey: string;
}

export interface OrderActivities {
  reserveInventory(input: StepInput): Promise<Receipt<Reservation>>;
  chargeCustomer(input: StepInput): Promise<Receipt<Charge>>;
  createShipment(input: StepInput): Promise<Receipt<Shipment>>;
  notifyCustomer(input: StepInput): Promise<Receipt<Notification>>;
  /** One bounded chunk of a long-haul shipment: resumes from `checkpoint` (or its last heartbeat), returns the next. */
  haulShipmentChunk(input: HaulChunkInput): Promise<HaulCheckpoint>;
  releaseInventory(input: UndoInput): Promise<Receipt<UndoOutcome>>;
  refundPayment(input: UndoInput): Promise<Receipt<UndoOutcome>>;
  cancelShipment(input: UndoInput): Promise<Receipt<UndoOutcome>>;
}
