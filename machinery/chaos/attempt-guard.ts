/**
 * Keeps chaos from changing how an order ends. A forward step gives up after FORWARD_STEP_MAX_ATTEMPTS attempts,
 * and every kill (worker, Lambda environment, server restart) can cost the attempts running at that moment one
 * attempt each. So before each strike the run looks at every open order's pending forward steps and strikes only
 * if, for each, max(attempt now, attempts failed on purpose) <= MAX - CHAOS_ATTEMPT_RESERVE: the strike may take
 * this attempt and one more may be seen stale, and an attempt that succeeds is still left. Otherwise it waits.
 * Notification is left out: when it gives up, the order still completes.
 */

import type { Client } from '@temporalio/client';
import { FORWARD_STEP_MAX_ATTEMPTS } from '../../config/settings';
import { isForwardStep, type ForwardStep } from '../../domain/steps';
import { CHAOS_ATTEMPT_RESERVE } from './order-plan';

export interface PendingStep {
  workflowId: string;
  step: ForwardStep;
  /** The attempt running now, or the next one when it is waiting to retry. */
  attempt: number;
}

const HIGHEST_STRIKABLE = FORWARD_STEP_MAX_ATTEMPTS - CHAOS_ATTEMPT_RESERVE;

/** The pending steps a strike now could push past the retry budget; empty means it is safe. */
export function stepsAtRisk(
  pending: readonly PendingStep[],
  failingAttempts: (workflowId: string, step: ForwardStep) => number,
): PendingStep[] {
  return pending.filter(
    (p) =>
      p.step !== 'notifyCustomer' && Math.max(p.attempt, failingAttempts(p.workflowId, p.step)) > HIGHEST_STRIKABLE,
  );
}

/** The pending forward steps of these workflows, as the server sees them now. */
export async function pendingSteps(
  client: Client,
  workflowIds: readonly string[],
  concurrency = 16,
): Promise<PendingStep[]> {
  const found: PendingStep[] = [];
  const queue = [...workflowIds];
  const describeNext = async (): Promise<void> => {
    for (let workflowId = queue.shift(); workflowId !== undefined; workflowId = queue.shift()) {
      const { raw } = await client.workflow.getHandle(workflowId).describe();
      for (const activity of raw.pendingActivities ?? []) {
        const step = activity.activityType?.name;
        if (isForwardStep(step)) found.push({ workflowId, step, attempt: activity.attempt ?? 1 });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, describeNext));
  return found;
}
