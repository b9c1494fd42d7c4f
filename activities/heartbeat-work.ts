/** Simulated work that heartbeats, so a dead worker is noticed within the heartbeat timeout. */

import type { Context } from '@temporalio/activity';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS } from '../config/settings';

interface Progress {
  progressMs: number;
}

/**
 * Works for `ms`, heartbeating progress every interval. A retry on another worker resumes from the progress the
 * last attempt reported, the way a real long-running job resumes from a checkpoint. Cancellation interrupts the
 * wait (Context.sleep rejects), and heartbeats are what deliver it.
 */
export async function heartbeatingWork(
  context: Context,
  ms: number,
  intervalMs = ACTIVITY_HEARTBEAT_INTERVAL_MS,
): Promise<void> {
  const previous = (context.info.heartbeatDetails as Progress | undefined)?.progressMs;
  let done = Math.min(typeof previous === 'number' ? previous : 0, ms);
  context.heartbeat({ progressMs: done } satisfies Progress);
  while (done < ms) {
    const slice = Math.min(intervalMs, ms - done);
    await context.sleep(slice);
    done += slice;
    context.heartbeat({ progressMs: done } satisfies Progress);
  }
}
