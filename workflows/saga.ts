/** Compensation bookkeeping: register an undo before its step runs, run them in reverse when the order fails. */

import { CancellationScope } from '@temporalio/workflow';
import type { Order } from '../domain/order';
import { idempotencyKey, type Compensation } from '../domain/steps';
import { compensations as compensationActivities } from './activity-options';
import type { OrderTracker } from './order-tracker';

interface PendingUndo {
  compensation: Compensation;
  /** The forward step's idempotency key: what exactly to undo. */
  undoKey: string;
}

export class Saga {
  private readonly pending: PendingUndo[] = [];

  constructor(
    private readonly order: Order,
    private readonly workflowId: string,
    private readonly tracker: OrderTracker,
  ) {}

  /** Called before the step runs: a step that timed out may still have happened, so its undo must be on record. */
  register(compensation: Compensation, undoKey: string): void {
    this.pending.push({ compensation, undoKey });
  }

  /**
   * Runs the registered compensations in reverse order. Non-cancellable: cancelling the order is exactly what
   * needs the undo to finish. Each compensation retries until it succeeds and tolerates "nothing to undo".
   */
  async compensate(): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      for (const { compensation, undoKey } of [...this.pending].reverse()) {
        this.tracker.compensationStarted(compensation);
        const receipt = await compensationActivities[compensation]({
          order: this.order,
          idempotencyKey: idempotencyKey(this.workflowId, compensation),
          undoKey,
        });
        this.tracker.compensationCompleted(compensation, receipt);
      }
    });
    this.pending.length = 0;
  }
}
