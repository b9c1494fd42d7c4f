/** Keeps the order's status as the saga moves, for the `getStatus` query and the final result. */

import { orderTotalCents, type Order } from '../domain/order';
import type { CompensationRecord, OrderState, OrderStatus, Receipt, StepRecord } from '../domain/status';
import type { Compensation, ForwardStep } from '../domain/steps';

const STATE_FOR_STEP: Readonly<Record<ForwardStep, OrderState>> = {
  reserveInventory: 'RESERVING_INVENTORY',
  chargeCustomer: 'CHARGING_PAYMENT',
  createShipment: 'CREATING_SHIPMENT',
  notifyCustomer: 'NOTIFYING_CUSTOMER',
};

/** Workflow time is deterministic inside the sandbox, so it is safe to stamp with it. */
function now(): string {
  return new Date().toISOString();
}

export class OrderTracker {
  private readonly status: OrderStatus;

  constructor(orderId: string) {
    this.status = { orderId, state: 'VALIDATING', totalCents: 0, completedSteps: [], steps: [], compensations: [] };
  }

  snapshot(): OrderStatus {
    // A deep copy, so a query result never aliases state the workflow keeps changing.
    return JSON.parse(JSON.stringify(this.status)) as OrderStatus;
  }

  get state(): OrderState {
    return this.status.state;
  }

  isTerminal(): boolean {
    return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(this.status.state);
  }

  hasCompleted(step: ForwardStep): boolean {
    return this.status.completedSteps.includes(step);
  }

  get cancelRequested(): OrderStatus['cancelRequested'] {
    return this.status.cancelRequested;
  }

  accepted(order: Order): void {
    this.status.totalCents = orderTotalCents(order);
  }

  stepStarted(step: ForwardStep): void {
    this.status.state = STATE_FOR_STEP[step];
    this.status.steps.push({ step, status: 'running', startedAt: now() });
  }

  stepCompleted(step: ForwardStep, receipt: Receipt<unknown>, detail?: string): void {
    Object.assign(this.currentStep(step), {
      status: 'completed',
      worker: receipt.worker,
      attempt: receipt.attempt,
      startedAt: receipt.startedAt,
      finishedAt: receipt.finishedAt,
      detail: receipt.deduplicated ? `${detail ?? ''} (already done: first result returned)`.trim() : detail,
    } satisfies Partial<StepRecord>);
    this.status.completedSteps.push(step);
  }

  stepFailed(step: ForwardStep, message: string): void {
    Object.assign(this.currentStep(step), { status: 'failed', finishedAt: now(), detail: message });
  }

  notificationFailed(message: string): void {
    this.status.notificationError = message;
  }

  cancelRequestedBy(reason: string): void {
    this.status.cancelRequested = { reason, at: now() };
  }

  /** A workflow cancellation from outside (Web UI, CLI): what it did is settled when the order ends. */
  outsideCancellationRequested(): void {
    this.status.outsideCancellation ??= { at: now(), outcome: 'pending' };
  }

  compensationStarted(compensation: Compensation): void {
    this.status.state = 'COMPENSATING';
    this.status.compensations.push({ compensation, status: 'running' });
  }

  compensationCompleted(compensation: Compensation, receipt: Receipt<{ detail: string }>): void {
    const record = this.status.compensations.find((c) => c.compensation === compensation && c.status === 'running');
    Object.assign(record ?? {}, {
      status: 'completed',
      detail: receipt.result.detail,
      worker: receipt.worker,
      finishedAt: receipt.finishedAt,
    } satisfies Partial<CompensationRecord>);
  }

  completed(): void {
    this.status.state = 'COMPLETED';
    this.settleOutsideCancellation('declined');
  }

  ended(state: 'FAILED' | 'CANCELLED', failure: { type: string; message: string }): void {
    this.status.state = state;
    this.status.failure = failure;
    this.settleOutsideCancellation(state === 'CANCELLED' ? 'rolled-back' : 'declined');
  }

  private settleOutsideCancellation(outcome: 'rolled-back' | 'declined'): void {
    if (this.status.outsideCancellation) this.status.outsideCancellation.outcome = outcome;
  }

  private currentStep(step: ForwardStep): StepRecord {
    const record = [...this.status.steps].reverse().find((s) => s.step === step);
    if (!record) throw new Error(`step ${step} was never started`);
    return record;
  }
}
