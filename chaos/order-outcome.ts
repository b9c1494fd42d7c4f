/**
 * Submitting an order and waiting for how it ended, through a server restart: a call that fails because the server
 * is away is tried again until the deadline, and an order whose start was accepted but whose answer was lost is
 * recognised as started (REJECT_DUPLICATE refuses a second start of the same order).
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE } from '../config/settings';
import type { OrderResult, OrderStatus } from '../domain/status';
import type { TerminalState } from './invariants';
import type { PlannedOrder } from './order-plan';

export interface SettledOrder {
  state?: TerminalState;
  /** The order's final status: from the result, or from the failure's details. */
  status?: OrderStatus;
  failureType?: string;
  /** For an order that did not finish in time: what the server says about it. */
  note?: string;
}

const RETRY_MS = 1_000;

export async function submitOrder(client: Client, planned: PlannedOrder, deadline: number): Promise<void> {
  for (;;) {
    try {
      await client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUE,
        workflowId: planned.workflowId,
        args: [planned.order],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      return;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return; // our earlier try got through
      if (Date.now() > deadline) throw err;
      await sleep(RETRY_MS);
    }
  }
}

function settledFailure(err: WorkflowFailedError): SettledOrder {
  const cause = err.cause;
  const cancelled =
    cause instanceof CancelledFailure || (cause instanceof ApplicationFailure && cause.type === 'OrderCancelled');
  const status = cause instanceof ApplicationFailure ? (cause.details?.[0] as OrderStatus | undefined) : undefined;
  return {
    state: cancelled ? 'CANCELLED' : 'FAILED',
    status,
    failureType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : cause?.name,
  };
}

export async function awaitOrder(client: Client, workflowId: string, deadline: number): Promise<SettledOrder> {
  const handle = client.workflow.getHandle(workflowId);
  while (Date.now() < deadline) {
    try {
      const result = await client.withDeadline(deadline, () => handle.result() as Promise<OrderResult>);
      return { state: 'COMPLETED', status: result.status };
    } catch (err) {
      if (err instanceof WorkflowFailedError) return settledFailure(err);
      await sleep(RETRY_MS); // the server is restarting, or the long poll ended: ask again
    }
  }
  try {
    const { status, raw } = await handle.describe();
    const pending = (raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt}`).join(', ');
    return { note: `still ${status.name}${pending ? `, pending ${pending}` : ''}` };
  } catch (err) {
    return { note: `not found (${(err as Error).message})` };
  }
}
