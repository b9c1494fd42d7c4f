/**
 * How an order ended, read from its closed workflow: the result of a completed order, or the type and message of the
 * failure (a cancellation counts as CANCELLED, not FAILED) with the order's last status from the failure's details.
 * Awaiting a workflow's result reads its history: no worker is asked.
 */

import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { OrderCancelled } from '../domain/errors';
import type { OrderResult, OrderStatus } from '../domain/status';

export type OrderEndState = 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface OrderEnding {
  state: OrderEndState;
  /** A completed order's result. */
  result?: OrderResult;
  /** The order's final status: the result's, or the one a failed order carries in its failure's details. */
  status?: OrderStatus;
  failure?: { type?: string; message: string };
}

/** The ending of a workflow that failed (or was cancelled). */
export function endingOfFailure(err: WorkflowFailedError): OrderEnding {
  const cause = err.cause;
  const cancelled =
    cause instanceof CancelledFailure || (cause instanceof ApplicationFailure && cause.type === OrderCancelled);
  return {
    state: cancelled ? 'CANCELLED' : 'FAILED',
    status: cause instanceof ApplicationFailure ? (cause.details?.[0] as OrderStatus | undefined) : undefined,
    failure: {
      type: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : cause?.name,
      message: cause?.message ?? err.message,
    },
  };
}

/** Waits for the order to close and says how it ended; anything but the workflow's own failure is thrown. */
export async function orderEnding(handle: WorkflowHandle): Promise<OrderEnding> {
  try {
    const result = (await handle.result()) as OrderResult;
    return { state: 'COMPLETED', result, status: result.status };
  } catch (err) {
    if (err instanceof WorkflowFailedError) return endingOfFailure(err);
    throw err;
  }
}
