/**
 * Starting an order: one workflow per order id, on the order task queue, with REJECT_DUPLICATE, so an order id that
 * was submitted before is refused and nobody is charged twice for one order. Every tool starts orders here.
 */

import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE, orderWorkflowId } from '../config/settings';
import type { Order } from '../domain/order';

/** The order id was used before: its workflow exists (running or closed), so this start changed nothing. */
export class OrderAlreadySubmittedError extends Error {
  constructor(
    readonly orderId: string,
    readonly workflowId: string,
  ) {
    super(`order ${orderId} was already submitted (workflow ${workflowId}); choose another order id`);
    this.name = 'OrderAlreadySubmittedError';
  }
}

export interface StartOrderOptions {
  /** Defaults to the order task queue (config/settings.ts); tests and the bench run their own. */
  taskQueue?: string;
  /** Defaults to `order-<orderId>`. */
  workflowId?: string;
}

export async function startOrder(
  client: Client,
  order: Order,
  options: StartOrderOptions = {},
): Promise<WorkflowHandle> {
  const workflowId = options.workflowId ?? orderWorkflowId(order.orderId);
  try {
    return await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      workflowId,
      args: [order],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      throw new OrderAlreadySubmittedError(order.orderId, workflowId);
    throw err;
  }
}
