/**
 * Follows one order: prints each step as it starts and ends (and which worker ran it), then the outcome. It reads
 * only what the server keeps (history, pending activities; see observe/watch-order.ts), never a query: on a
 * serverless task queue a query is a worker task, and it would invoke a Lambda just to be answered.
 */

import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { OrderProgress } from '../observe/order-progress';
import { progressLines } from '../observe/progress-lines';
import { watchOrder } from '../observe/watch-order';
import type { OrderResult } from '../domain/status';

export interface FollowedOrder {
  workflowId: string;
  state: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  result?: OrderResult;
  /** The order's last progress as the server recorded it: every step and compensation, with its worker. */
  progress: OrderProgress;
  failure?: { type?: string; message: string };
}

export async function followOrder(
  client: Client,
  handle: WorkflowHandle,
  print: (line: string) => void,
): Promise<FollowedOrder> {
  let last: OrderProgress | undefined;
  const progress = await watchOrder(client, handle.workflowId, {
    onChange: (now) => {
      for (const line of progressLines(last, now)) print(line);
      last = now;
    },
  });
  // The order has closed: its result is in the history already, so this asks no worker either.
  try {
    const result = (await handle.result()) as OrderResult;
    return { workflowId: handle.workflowId, state: 'COMPLETED', result, progress };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    const cancelled =
      cause instanceof CancelledFailure || (cause instanceof ApplicationFailure && cause.type === 'OrderCancelled');
    return {
      workflowId: handle.workflowId,
      state: cancelled ? 'CANCELLED' : 'FAILED',
      progress,
      failure: {
        type: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : cause?.name,
        message: cause?.message ?? err.message,
      },
    };
  }
}
