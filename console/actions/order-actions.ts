/** Starting orders and cancelling one: the console's only calls that need a worker (an update runs in the workflow). */

import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { orderWorkflowId } from '../../config/settings';
import type { Scenario } from '../../domain/scenarios';
import { newOrderId, sampleOrder } from '../../client/sample-order';
import { startOrder } from '../../client/start-order';
import { cancelOrderUpdate } from '../../workflows/definitions';
import { ControlInputError } from './control-input';

/** An update may have to wait for a cold-started Lambda; past this the page is told to try again. */
const CANCEL_DEADLINE_MS = 45_000;

/** Orders are started this many at a time: 200 one after another take a minute on a busy laptop. */
const START_CONCURRENCY = 20;

export async function submitOrders(
  client: Client,
  taskQueue: string,
  scenario: Scenario,
  count: number,
): Promise<string[]> {
  const batch = newOrderId();
  const orders = Array.from({ length: count }, (_, i) =>
    sampleOrder(count === 1 ? batch : `${batch}-${i + 1}`, scenario, i),
  );
  const ids = orders.map((order) => orderWorkflowId(order.orderId));
  let next = 0;
  const startOne = async (): Promise<void> => {
    for (let i = next++; i < orders.length; i = next++) {
      await startOrder(client, orders[i], { taskQueue, workflowId: ids[i] });
    }
  };
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, count) }, startOne));
  return ids;
}

/** Sends the cancelOrder update; the workflow's validator may refuse it, and then its reason is the message. */
export async function cancelOrder(client: Client, workflowId: string, reason: string | undefined): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const status = await client.withDeadline(Date.now() + CANCEL_DEADLINE_MS, () =>
      handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: reason ?? 'cancelled from the presenter console' }] }),
    );
    return `cancellation accepted; the order is ${status.state.toLowerCase()}`;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new ControlInputError(`the order refused to be cancelled: ${err.cause?.message ?? err.message}`, 409);
    }
    const message = (err as Error).message;
    if (/already completed|not found/i.test(message))
      throw new ControlInputError(`the order refused to be cancelled: ${message}`, 409);
    throw err;
  }
}
