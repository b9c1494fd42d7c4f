/**
 * Follows one order until it closes without ever waking a worker: long-polls the workflow's history
 * (GetWorkflowExecutionHistory, waitNewEvent) and, while an activity is open, asks DescribeWorkflowExecution for the
 * attempt in progress. Both are answered by the server alone; queries and updates would need (and wake) a worker.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { OrderProgressFold, type OrderProgress } from './order-progress';

export interface WatchOrderOptions {
  /** Called with every new snapshot that differs from the previous one. */
  onChange?: (progress: OrderProgress) => void;
  /** Called when the server could not be reached; watching goes on after a pause. */
  onError?: (err: Error) => void;
  /** Stops watching; the promise then resolves with the last snapshot. */
  signal?: AbortSignal;
  /**
   * How often to read the pending activities while one is open (the attempt in progress and its worker); a function
   * lets a caller watching many orders space the reads out as their number grows.
   */
  describeIntervalMs?: number | (() => number);
  /** Every page of history events as it is read (the console's timeline folds them as well). */
  onEvents?: (events: temporal.api.history.v1.IHistoryEvent[]) => void;
  /** The pending activities each time they are read, with the time of the read (epoch ms). */
  onPendingActivities?: (pending: temporal.api.workflow.v1.IPendingActivityInfo[], at: number) => void;
}

export const DEFAULT_DESCRIBE_INTERVAL_MS = 1_000;
const RETRY_AFTER_ERROR_MS = 1_000;

function isNotFound(err: unknown): boolean {
  return (err as { code?: number })?.code === 5; // gRPC NOT_FOUND
}

/** Resolves with the final progress once the workflow has closed (or the signal aborted). */
export async function watchOrder(
  client: Client,
  workflowId: string,
  options: WatchOrderOptions = {},
): Promise<OrderProgress> {
  const { signal } = options;
  const namespace = client.options.namespace;
  const fold = new OrderProgressFold(workflowId);
  let lastJson = '';
  const emit = () => {
    const snapshot = fold.snapshot();
    const json = JSON.stringify({ ...snapshot, eventCount: 0 });
    if (json === lastJson) return;
    lastJson = json;
    options.onChange?.(snapshot);
  };
  // One short-lived signal per call: the SDK adds an abort listener to the signal it is given and never removes it,
  // so handing it the caller's signal would pile up a listener per long-poll.
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!signal) return fn();
    const perCall = new AbortController();
    const forward = () => perCall.abort();
    signal.addEventListener('abort', forward, { once: true });
    try {
      return await client.connection.withAbortSignal(perCall.signal, fn);
    } finally {
      signal.removeEventListener('abort', forward);
    }
  };

  // Ends the describe loop's pause as soon as the history says the order closed.
  const stop = new AbortController();
  const describing = (async () => {
    const configured = options.describeIntervalMs ?? DEFAULT_DESCRIBE_INTERVAL_MS;
    const interval = () => (typeof configured === 'function' ? configured() : configured);
    while (!stop.signal.aborted && !signal?.aborted) {
      if (fold.hasOpenActivity && !fold.isClosed) {
        try {
          const description = await guarded(() =>
            client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } }),
          );
          if (!fold.isClosed) {
            fold.setPendingActivities(description.pendingActivities ?? []);
            options.onPendingActivities?.(description.pendingActivities ?? [], Date.now());
          }
          emit();
        } catch (err) {
          if (!signal?.aborted) options.onError?.(err as Error);
        }
      }
      await sleep(interval(), undefined, {
        signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
      }).catch(() => undefined);
    }
  })();

  try {
    let nextPageToken: Uint8Array | undefined;
    while (!signal?.aborted) {
      let page;
      try {
        page = await guarded(() =>
          client.workflowService.getWorkflowExecutionHistory({
            namespace,
            execution: { workflowId },
            waitNewEvent: true,
            nextPageToken,
          }),
        );
      } catch (err) {
        if (signal?.aborted) break;
        if (isNotFound(err))
          throw new Error(`no order workflow "${workflowId}" in namespace ${namespace}: check the id`);
        options.onError?.(err as Error);
        await sleep(RETRY_AFTER_ERROR_MS, undefined, { signal }).catch(() => undefined);
        continue;
      }
      fold.apply(page.history?.events ?? []);
      options.onEvents?.(page.history?.events ?? []);
      emit();
      // A closed workflow's history ends with an empty token; an open one's long-poll hands back the next one.
      if (!page.nextPageToken?.length) break;
      nextPageToken = page.nextPageToken;
    }
  } finally {
    stop.abort();
  }
  await describing;
  return fold.snapshot();
}
