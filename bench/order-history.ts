/** Reads moments out of an order's history: the server's own timestamps, not the benchmark's guesses. */

import type { WorkflowHandle } from '@temporalio/client';

interface Timestamp {
  seconds?: { toNumber(): number } | number | null;
  nanos?: number | null;
}

function epochMs(time: Timestamp | null | undefined): number {
  if (!time) return NaN;
  const seconds = typeof time.seconds === 'number' ? time.seconds : (time.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (time.nanos ?? 0) / 1e6;
}

/** When the order's first activity completed (epoch ms). */
export async function firstActivityCompletedAt(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  const event = history.events?.find((e) => e.activityTaskCompletedEventAttributes);
  if (!event) throw new Error(`${handle.workflowId} has no completed activity`);
  return epochMs(event.eventTime as Timestamp);
}
