/** Follows one order: prints each step as it completes (and which worker ran it), then the outcome. */

import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { OrderResult, OrderStatus } from '../domain/status';
import { getStatusQuery } from '../workflows/definitions';
import { describeWorker } from './describe-worker';

export interface FollowedOrder {
  workflowId: string;
  state: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  result?: OrderResult;
  /** The order's last status: from the result, or from the failure's details when it failed. */
  status?: OrderStatus;
  failure?: { type?: string; message: string };
}

const POLL_MS = 500;

function clock(iso: string | undefined): string {
  return iso ? iso.slice(11, 19) : '--:--:--';
}

/** Prints what changed between two snapshots of the status. */
export function describeProgress(previous: OrderStatus | undefined, current: OrderStatus): string[] {
  const lines: string[] = [];
  current.steps.forEach((step, index) => {
    const before = previous?.steps[index];
    if (step.status === before?.status) return;
    if (step.status === 'running') lines.push(`… ${step.step} started`);
    if (step.status === 'completed') {
      const attempt = step.attempt && step.attempt > 1 ? `, attempt ${step.attempt}` : '';
      lines.push(`✓ ${step.step} by ${describeWorker(step.worker)} at ${clock(step.finishedAt)}${attempt}${step.detail ? ` ${step.detail}` : ''}`);
    }
    if (step.status === 'failed') lines.push(`✗ ${step.step} failed: ${step.detail}`);
  });
  current.compensations.forEach((comp, index) => {
    const before = previous?.compensations[index];
    if (comp.status === before?.status) return;
    if (comp.status === 'completed') lines.push(`↺ ${comp.compensation}: ${comp.detail} (by ${describeWorker(comp.worker)})`);
  });
  if (current.cancelRequested && !previous?.cancelRequested) lines.push(`! cancellation requested: ${current.cancelRequested.reason}`);
  return lines;
}

/** Queries never hang the follower: with no worker to answer, the query fails fast and is tried again. */
const QUERY_DEADLINE_MS = 2_000;

export async function followOrder(
  client: Pick<Client, 'withDeadline'>,
  handle: WorkflowHandle,
  print: (line: string) => void,
): Promise<FollowedOrder> {
  let last: OrderStatus | undefined;
  let waitingNoted = false;
  let done = false;
  const outcome = handle.result().finally(() => {
    done = true;
  });
  outcome.catch(() => undefined);
  while (!done) {
    try {
      const status = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(getStatusQuery));
      for (const line of describeProgress(last, status)) print(line);
      last = status;
      waitingNoted = false;
    } catch {
      // No worker is answering queries right now (for example the local worker was just killed).
      if (!waitingNoted && !done) print('… waiting for a worker to pick the order up');
      waitingNoted = true;
    }
    await Promise.race([outcome.catch(() => undefined), sleep(POLL_MS)]);
  }
  try {
    const result = (await outcome) as OrderResult;
    for (const line of describeProgress(last, result.status)) print(line);
    return { workflowId: handle.workflowId, state: 'COMPLETED', result, status: result.status };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    const status = cause instanceof ApplicationFailure ? (cause.details?.[0] as OrderStatus | undefined) : undefined;
    if (status?.steps) for (const line of describeProgress(last, status)) print(line);
    const cancelled = cause instanceof CancelledFailure || (cause instanceof ApplicationFailure && cause.type === 'OrderCancelled');
    return {
      workflowId: handle.workflowId,
      state: cancelled ? 'CANCELLED' : 'FAILED',
      status: status?.steps ? status : last,
      failure: { type: cause instanceof ApplicationFailure ? cause.type ?? undefined : cause?.name, message: cause?.message ?? err.message },
    };
  }
}
