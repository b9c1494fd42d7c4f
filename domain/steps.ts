/** The saga's forward steps and their compensations, in the order they run. */

import type { OrderActivities } from './activity-contract';

export const FORWARD_STEPS = ['reserveInventory', 'chargeCustomer', 'createShipment', 'notifyCustomer'] as const;
export type ForwardStep = (typeof FORWARD_STEPS)[number];

export const COMPENSATIONS = ['releaseInventory', 'refundPayment', 'cancelShipment'] as const;
export type Compensation = (typeof COMPENSATIONS)[number];

/** Which compensation undoes which step. Notification has none: a message cannot be unsent. */
export const COMPENSATION_FOR: Readonly<Record<ForwardStep, Compensation | undefined>> = {
  reserveInventory: 'releaseInventory',
  chargeCustomer: 'refundPayment',
  createShipment: 'cancelShipment',
  notifyCustomer: undefined,
};

/** What a person reads for each step: the console's column headings. A new step needs one (the type says so). */
export const STEP_HEADINGS: Readonly<Record<ForwardStep, string>> = {
  reserveInventory: 'Reserve',
  chargeCustomer: 'Charge',
  createShipment: 'Ship',
  notifyCustomer: 'Notify',
};

/**
 * The long haul's chunk activity (workflows/long-haul.ts) is part of the shipment step: it runs before
 * createShipment, so whoever shows the steps (progress, timeline) shows its chunks as that step.
 */
export const HAUL_CHUNK_ACTIVITY = 'haulShipmentChunk' satisfies keyof OrderActivities;
export const HAUL_CHUNK_STEP: ForwardStep = 'createShipment';

export function isForwardStep(value: unknown): value is ForwardStep {
  return typeof value === 'string' && (FORWARD_STEPS as readonly string[]).includes(value);
}

/** Idempotency keys are derived from the workflow id, so every retry and every run of one order shares them. */
export function idempotencyKey(workflowId: string, action: ForwardStep | Compensation): string {
  return `${workflowId}:${action}`;
}
