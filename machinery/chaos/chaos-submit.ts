/** Submitting a chaos run's orders over its window and waiting for each to end, with progress every 10 s. */

import { setTimeout as sleep } from 'node:timers/promises';
import { unexpectedEnding } from '../../domain/scenarios';
import { openWorkflows, type ChaosRun } from './chaos-run';
import { awaitOrder, submitOrder } from './order-outcome';
import type { PlannedOrder } from './order-plan';
import { requestCancellation } from './outside-cancellations';

const PROGRESS_EVERY_MS = 10_000;

async function runOrder(run: ChaosRun, p: PlannedOrder, index: number): Promise<void> {
  await sleep(Math.max(0, run.goAt + p.submitAtMs - Date.now()));
  try {
    await submitOrder(run.client, p, run.deadline);
  } catch (err) {
    run.settled[index] = { note: `could not be submitted: ${(err as Error).message}` };
    return;
  }
  run.submitted.add(p.workflowId);
  const cancelled = p.cancelAfterMs === undefined ? undefined : cancelLater(run, p.workflowId, p.cancelAfterMs);
  const s = await awaitOrder(run.client, p.workflowId, run.deadline);
  await cancelled;
  run.settled[index] = s;
  // An order cancelled from outside may end CANCELLED; chaos-verify.ts tells from its history whether it may.
  const expectedEnding =
    s.state === 'CANCELLED' && p.cancelAfterMs !== undefined ? '' : unexpectedEnding(p.scenario, s);
  const mismatch = s.state === undefined ? `the scenario expects ${p.expected}` : expectedEnding;
  if (mismatch) {
    const faults = p.injected ? `; ${p.injected}` : '';
    const why = s.failureType ? ` (${s.failureType})` : '';
    run.log(
      `! ${p.workflowId} (${p.scenario}${faults}) ended ${s.state ?? 'UNFINISHED'}${why}: ${mismatch}${s.note ? `; ${s.note}` : ''}`,
    );
  }
}

/** The Web UI's "Request Cancellation", sent through the client after `ms`. */
async function cancelLater(run: ChaosRun, workflowId: string, ms: number): Promise<void> {
  await sleep(ms);
  try {
    const sent = await requestCancellation(run.client, workflowId);
    if (sent) run.cancellations.sent++;
    else run.cancellations.arrivedAfterEnd++;
    run.record(sent ? `requested cancellation of ${workflowId} from outside` : `${workflowId} ended before its cancel`);
  } catch (err) {
    run.record(`! could not request cancellation of ${workflowId}: ${(err as Error).message}`);
  }
}

/** Resolves once every planned order has ended (or counts as lost at the deadline). */
export async function submitAndSettle(run: ChaosRun): Promise<void> {
  const progress = setInterval(() => {
    const done = run.settled.filter((s) => s?.state).length;
    const worker = run.worker.isUp ? `up (pid ${run.worker.pid})` : 'down';
    run.log(
      `progress: ${run.submitted.size}/${run.planned.length} submitted, ${done} finished, ${openWorkflows(run).length} ` +
        `in flight; local worker ${worker}, ${run.stack.busyEnvironments()} Lambda environment(s) busy`,
    );
  }, PROGRESS_EVERY_MS);
  try {
    await Promise.all(run.planned.map((p, i) => runOrder(run, p, i)));
  } finally {
    clearInterval(progress);
  }
  run.allSettled = true;
  const finished = run.settled.filter((s) => s?.state).length;
  run.record(`all orders settled (${finished} finished, ${run.settled.length - finished} not)`);
}
