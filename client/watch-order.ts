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
  const fold = new OrderProgressFold(workflowId);
  const watch: Watch = {
    client,
    namespace: client.options.namespace,
    workflowId,
    options,
    fold,
    guarded: abortableBy(client, options.signal),
    emit: emitterOfChanges(fold, options),
  };
  // Ends the describe loop's pause as soon as the history says the order closed.
  const stop = new AbortController();
  const describing = describeWhileActivityOpen(watch, stop.signal);
  try {
    await followHistory(watch);
  } finally {
    stop.abort();
  }
  await describing;
  return fold.snapshot();
}

/** What the two loops of one watch share. */
interface Watch {
  client: Client;
  namespace: string;
  workflowId: string;
  options: WatchOrderOptions;
  fold: OrderProgressFold;
  /** Runs a server call that the caller's signal aborts. */
  guarded: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Hands the fold's snapshot to onChange, when it differs from the last one handed. */
  emit: () => void;
}

function emitterOfChanges(fold: OrderProgressFold, options: WatchOrderOptions): () => void {
  let lastJson = '';
  return () => {
    const snapshot = fold.snapshot();
    const json = JSON.stringify({ ...snapshot, eventCount: 0 });
    if (json === lastJson) return;
    lastJson = json;
    options.onChange?.(snapshot);
  };
}

/**
 * One short-lived signal per call: the SDK adds an abort listener to the signal it is given and never removes it,
 * so handing it the caller's signal would pile up a listener per long-poll.
 */
function abortableBy(client: Client, signal: AbortSignal | undefined): Watch['guarded'] {
  return async <T>(fn: () => Promise<T>): Promise<T> => {
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
}

/** While an activity is open, reads the attempt in progress and its worker, every describe interval. */
async function describeWhileActivityOpen(watch: Watch, stop: AbortSignal): Promise<void> {
  const { client, namespace, workflowId, options, fold } = watch;
  const { signal } = options;
  const configured = options.describeIntervalMs ?? DEFAULT_DESCRIBE_INTERVAL_MS;
  const interval = () => (typeof configured === 'function' ? configured() : configured);
  while (!stop.aborted && !signal?.aborted) {
    if (fold.hasOpenActivity && !fold.isClosed) {
      try {
        const description = await watch.guarded(() =>
          client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } }),
        );
        if (!fold.isClosed) {
          fold.setPendingActivities(description.pendingActivities ?? []);
          options.onPendingActivities?.(description.pendingActivities ?? [], Date.now());
        }
        watch.emit();
      } catch (err) {
        if (!signal?.aborted) options.onError?.(err as Error);
      }
    }
    await sleep(interval(), undefined, {
      signal: signal ? AbortSignal.any([signal, stop]) : stop,
    }).catch(() => undefined);
  }
}

/** Long-polls the history page after page, folding each, until the workflow closes or the signal aborts. */
async function followHistory(watch: Watch): Promise<void> {
  const { client, namespace, workflowId, options, fold } = watch;
  const { signal } = options;
  let nextPageToken: Uint8Array | undefined;
  while (!signal?.aborted) {
    let page;
    try {
      page = await watch.guarded(() =>
        client.workflowService.getWorkflowExecutionHistory({
          namespace,
          execution: { workflowId },
          waitNewEvent: true,
          nextPageToken,
        }),
      );
    } catch (err) {
      if (signal?.aborted) break;
      if (isNotFound(err)) throw new Error(`no order workflow "${workflowId}" in namespace ${namespace}: check the id`);
      options.onError?.(err as Error);
      await sleep(RETRY_AFTER_ERROR_MS, undefined, { signal }).catch(() => undefined);
      continue;
    }
    fold.apply(page.history?.events ?? []);
    options.onEvents?.(page.history?.events ?? []);
    watch.emit();
    // A closed workflow's history ends with an empty token; an open one's long-poll hands back the next one.
    if (!page.nextPageToken?.length) break;
    nextPageToken = page.nextPageToken;
  }
}
