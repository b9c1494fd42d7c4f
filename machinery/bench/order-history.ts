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

/** The order's first workflow task done, its first activity started and completed (epoch ms, the server's times). */
export async function firstTaskMoments(
  handle: WorkflowHandle,
): Promise<{ workflowTaskCompletedAt: number; activityStartedAt: number; activityCompletedAt: number }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const at = (pick: (e: (typeof events)[number]) => unknown, what: string) => {
    const event = events.find((e) => pick(e));
    if (!event) throw new Error(`${handle.workflowId} has no ${what}`);
    return epochMs(event.eventTime as Timestamp);
  };
  return {
    workflowTaskCompletedAt: at((e) => e.workflowTaskCompletedEventAttributes, 'completed workflow task'),
    activityStartedAt: at((e) => e.activityTaskStartedEventAttributes, 'started activity'),
    activityCompletedAt: at((e) => e.activityTaskCompletedEventAttributes, 'completed activity'),
  };
}
