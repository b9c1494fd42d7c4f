/**
 * Cancellations from outside, as the Temporal Web UI's "Request Cancellation" and `temporal workflow cancel` send
 * them: a workflow cancel request at a random moment of an order that would otherwise complete. What the order may
 * then end as depends on where the request found it, which its history tells:
 * - before the shipment was scheduled: CANCELLED (rolled back, like cancelOrder);
 * - while the shipment was in flight: CANCELLED, or COMPLETED when the shipment finished before it stopped;
 * - after the shipment completed: COMPLETED, the request declined (nothing may undo shipped goods).
 */

import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { OrderStatus } from '../../domain/status';
import type { TerminalState, Violation } from './invariants';

const EventType = temporal.api.enums.v1.EventType;

export interface OutsideCancellationCounts {
  sent: number;
  /** The order had already ended when the request came: nothing to cancel. */
  arrivedAfterEnd: number;
  rolledBack: number;
  declined: number;
}

export function noOutsideCancellations(): OutsideCancellationCounts {
  return { sent: 0, arrivedAfterEnd: 0, rolledBack: 0, declined: 0 };
}

export type CancellationPhase = 'before-shipment' | 'during-shipment' | 'after-shipment' | 'not-requested';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where in the saga the cancel request found the order, from the order of events in its history. */
export function cancellationPhase(events: readonly HistoryEvent[]): CancellationPhase {
  const requested = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
  if (!requested) return 'not-requested';
  const before = events.filter((e) => Number(e.eventId) < Number(requested.eventId));
  const shipmentScheduled = before.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createShipment',
  );
  if (!shipmentScheduled) return 'before-shipment';
  const shipmentDone = before.some(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED &&
      Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === Number(shipmentScheduled.eventId),
  );
  return shipmentDone ? 'after-shipment' : 'during-shipment';
}

/** The endings an order may have after an outside cancellation in `phase` (it was heading for COMPLETED). */
export function acceptableEndings(phase: CancellationPhase): TerminalState[] {
  if (phase === 'before-shipment') return ['CANCELLED'];
  if (phase === 'during-shipment') return ['CANCELLED', 'COMPLETED'];
  return ['COMPLETED'];
}

/** Sends the cancel request; false when the order had already ended. */
export async function requestCancellation(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).cancel();
    return true;
  } catch (err) {
    if (/already completed|not found/i.test((err as Error).message)) return false;
    throw err;
  }
}

/** The workflow's own record of the request must say what happened: rolled back, or declined and completed. */
export function checkCancellationRecord(
  workflowId: string,
  state: TerminalState | undefined,
  status: OrderStatus | undefined,
): Violation[] {
  const expected = state === 'COMPLETED' ? 'declined' : 'rolled-back';
  const recorded = status?.outsideCancellation?.outcome;
  // A Canceled workflow carries no result to read it from (only a query could, and that would wake a worker).
  if (!state || !status || recorded === expected) return [];
  return [
    {
      invariant: 'outside-cancel-recorded',
      detail: `${workflowId} ended ${state} after an outside cancellation, but its status says ${recorded ?? 'nothing'}`,
    },
  ];
}
