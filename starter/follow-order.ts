/**
 * Follows one order: prints each step as it starts and ends (and which worker ran it), then the outcome. It reads
 * only what the server keeps (history, pending activities; see observe/watch-order.ts), never a query: on a
 * serverless task queue a query is a worker task, and it would invoke a Lambda just to be answered.
 */

import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ObservedActivity, OrderProgress } from '../observe/order-progress';
import { watchOrder } from '../observe/watch-order';
import type { OrderResult } from '../domain/status';
import { describeWorker } from './describe-worker';

export interface FollowedOrder {
  workflowId: string;
  state: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  result?: OrderResult;
  /** The order's last progress as the server recorded it: every step and compensation, with its worker. */
  progress: OrderProgress;
  failure?: { type?: string; message: string };
}

function clock(iso: string | undefined): string {
  return iso ? iso.slice(11, 19) : '--:--:--';
}

function describeActivity(before: ObservedActivity | undefined, now: ObservedActivity): string[] {
  if (before && before.state === now.state && before.attempt === now.attempt) return [];
  const attempt = now.attempt > 1 ? `, attempt ${now.attempt}` : '';
  if (now.kind === 'compensation') {
    if (now.state !== 'completed') return [];
    return [`↺ ${now.name}: ${now.detail ?? 'done'} (by ${describeWorker(now.worker)})`];
  }
  switch (now.state) {
    case 'running':
      return before?.state === 'running' ? [] : [`… ${now.name} started on ${describeWorker(now.worker)}${attempt}`];
    case 'retrying':
      return [`↻ ${now.name}: attempt ${now.attempt - 1} failed (${now.failure?.message ?? 'its worker went away'}); retrying`];
    case 'completed':
      return [`✓ ${now.name} by ${describeWorker(now.worker)} at ${clock(now.finishedAt)}${attempt}`];
    case 'failed':
      return [`✗ ${now.name} failed: ${now.failure?.message ?? 'no reason given'}`];
    default:
      return [];
  }
}

/** Prints what changed between two snapshots of an order's progress. */
export function describeProgress(previous: OrderProgress | undefined, current: OrderProgress): string[] {
  const lines: string[] = [];
  current.steps.forEach((step) => lines.push(...describeActivity(previous?.steps.find((s) => s.name === step.name), step)));
  current.compensations.forEach((undo, index) => lines.push(...describeActivity(previous?.compensations[index], undo)));
  if (current.cancelRequested && !previous?.cancelRequested) lines.push(`! cancellation requested: ${current.cancelRequested.reason}`);
  return lines;
}

export async function followOrder(client: Client, handle: WorkflowHandle, print: (line: string) => void): Promise<FollowedOrder> {
  let last: OrderProgress | undefined;
  const progress = await watchOrder(client, handle.workflowId, {
    onChange: (now) => {
      for (const line of describeProgress(last, now)) print(line);
      last = now;
    },
  });
  // The order has closed: its result is in the history already, so this asks no worker either.
  try {
    const result = (await handle.result()) as OrderResult;
    return { workflowId: handle.workflowId, state: 'COMPLETED', result, progress };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    const cancelled = cause instanceof CancelledFailure || (cause instanceof ApplicationFailure && cause.type === 'OrderCancelled');
    return {
      workflowId: handle.workflowId,
      state: cancelled ? 'CANCELLED' : 'FAILED',
      progress,
      failure: { type: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : cause?.name, message: cause?.message ?? err.message },
    };
  }
}
