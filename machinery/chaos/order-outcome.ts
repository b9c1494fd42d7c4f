/**
 * Submitting an order and waiting for how it ended, through a server restart: a call that fails because the server
 * is away is tried again until the deadline, and an order whose start was accepted but whose answer was lost is
 * recognised as started (REJECT_DUPLICATE refuses a second start of the same order).
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { orderEnding } from '../../client/order-ending';
import { OrderAlreadySubmittedError, startOrder } from '../../client/start-order';
import type { OrderStatus } from '../../domain/status';
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
      await startOrder(client, planned.order, { workflowId: planned.workflowId });
      return;
    } catch (err) {
      if (err instanceof OrderAlreadySubmittedError) return; // our earlier try got through
      if (Date.now() > deadline) throw err;
      await sleep(RETRY_MS);
    }
  }
}

export async function awaitOrder(client: Client, workflowId: string, deadline: number): Promise<SettledOrder> {
  const handle = client.workflow.getHandle(workflowId);
  while (Date.now() < deadline) {
    try {
      const ending = await client.withDeadline(deadline, () => orderEnding(handle));
      return { state: ending.state, status: ending.status, failureType: ending.failure?.type };
    } catch {
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
