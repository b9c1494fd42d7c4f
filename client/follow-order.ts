/**
 * Follows one order: prints each step as it starts and ends (and which worker ran it), then the outcome. It reads
 * only what the server keeps (history, pending activities; see watch-order.ts), never a query: on a
 * serverless task queue a query is a worker task, and it would invoke a Lambda just to be answered.
 */

import type { Client, WorkflowHandle } from '@temporalio/client';
import type { OrderProgress } from './order-progress';
import { orderEnding, type OrderEnding } from './order-ending';
import { progressLines } from './progress-lines';
import { watchOrder } from './watch-order';

export interface FollowedOrder extends OrderEnding {
  workflowId: string;
  /** The order's last progress as the server recorded it: every step and compensation, with its worker. */
  progress: OrderProgress;
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
  return { workflowId: handle.workflowId, progress, ...(await orderEnding(handle)) };
}
