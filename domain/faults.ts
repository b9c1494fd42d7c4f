/** Fault injection carried by an order, so any worker that picks up the order acts out the same faults. */

import type { ForwardStep } from './steps';

export interface FaultPlan {
  /** Fail the first N attempts of a step with a retryable `ServiceUnavailable` error. */
  transientFailures?: Partial<Record<ForwardStep, number>>;
  /** Apply the step's effect on the first attempt, then stop responding, so the attempt times out and is retried. */
  timeoutAfterEffect?: ForwardStep[];
  /** Make one step take this long (heartbeating), long enough to kill a worker in the middle of it. */
  slowStep?: { step: ForwardStep; durationMs: number };
  /** Business failures, as the scenarios use them. */
  declinePayment?: boolean;
  outOfStockSkus?: string[];
  rejectAddress?: boolean;
  /** Notification keeps failing; the order still completes, with the failure recorded. */
  notificationDown?: boolean;
}
