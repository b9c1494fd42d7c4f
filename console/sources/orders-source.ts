/**
 * The order board's data: orders found through visibility (started by anyone: the console, the starter, the
 * demo) and followed with the history observer. Nothing here needs a worker, so watching wakes no Lambda.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import {
  CONSOLE_DESCRIBE_BUDGET_PER_S,
  CONSOLE_DESCRIBE_INTERVAL_MS,
  CONSOLE_ORDER_DISCOVERY_MS,
  CONSOLE_ORDER_LOOKBACK_MINUTES,
} from '../../config/console';
import { ORDER_WORKFLOW_TYPE } from '../../config/settings';
import type { OrderProgress } from '../../client/order-progress';
import { watchOrder, type WatchOrderOptions } from '../../client/watch-order';
import type { ConsoleHub } from '../console-hub';
import { orderChangeLines } from '../order-events';

export interface OrdersSourceOptions {
  client: Client;
  hub: ConsoleHub;
  webUiUrl: (workflowId: string) => string;
  /** Orders started before this are not shown. */
  since?: Date;
  /** Also given every history page and pending-activity read, for the timeline (no extra calls). */
  onOrderRead?: {
    events(workflowId: string, events: Parameters<NonNullable<WatchOrderOptions['onEvents']>>[0]): void;
    pending(
      workflowId: string,
      pending: Parameters<NonNullable<WatchOrderOptions['onPendingActivities']>>[0],
      at: number,
    ): void;
  };
}

export class OrdersSource {
  private readonly watching = new Map<string, AbortController>();
  /** Orders still open: their pending activities are read less often as there are more of them. */
  private open = 0;
  private readonly stop = new AbortController();
  private discovery?: Promise<void>;
  private lastError?: string;

  constructor(private readonly options: OrdersSourceOptions) {}

  start(): void {
    this.discovery = this.discover();
  }

  /** Follows an order (idempotent): called for orders the console submits, without waiting for visibility. */
  watch(workflowId: string): void {
    if (this.watching.has(workflowId) || this.stop.signal.aborted) return;
    const controller = new AbortController();
    this.watching.set(workflowId, controller);
    let previous: OrderProgress | undefined;
    const { hub } = this.options;
    this.open++;
    void watchOrder(this.options.client, workflowId, {
      signal: controller.signal,
      // About CONSOLE_DESCRIBE_BUDGET_PER_S describe calls a second in all, however many orders are open.
      describeIntervalMs: () =>
        Math.max(CONSOLE_DESCRIBE_INTERVAL_MS, (this.open * 1000) / CONSOLE_DESCRIBE_BUDGET_PER_S),
      onChange: (progress) => {
        for (const line of orderChangeLines(previous, progress)) hub.record(line.kind, line.text);
        previous = progress;
        hub.updateOrder({ ...progress, webUiUrl: this.options.webUiUrl(workflowId) });
      },
      onError: (err) => this.noteError(`following ${workflowId}: ${err.message}`),
      onEvents: (events) => this.options.onOrderRead?.events(workflowId, events),
      onPendingActivities: (pending, at) => this.options.onOrderRead?.pending(workflowId, pending, at),
    })
      .catch((err: Error) => this.noteError(err.message))
      .finally(() => this.open--);
  }

  async close(): Promise<void> {
    this.stop.abort();
    for (const controller of this.watching.values()) controller.abort();
    await this.discovery;
  }

  /** Lists through a signal of its own, so closing ends a list call that hangs on an unreachable server. */
  private listAbortable<T>(fn: () => Promise<T>): Promise<T> {
    const perCall = new AbortController();
    const forward = () => perCall.abort();
    this.stop.signal.addEventListener('abort', forward, { once: true });
    return this.options.client.connection
      .withAbortSignal(perCall.signal, fn)
      .finally(() => this.stop.signal.removeEventListener('abort', forward));
  }

  private noteError(message: string): void {
    if (message === this.lastError) return;
    this.lastError = message;
    this.options.hub.record('error', message);
  }

  private async discover(): Promise<void> {
    const since = this.options.since ?? new Date(Date.now() - CONSOLE_ORDER_LOOKBACK_MINUTES * 60_000);
    const query = `WorkflowType = '${ORDER_WORKFLOW_TYPE}' AND StartTime >= '${since.toISOString()}'`;
    while (!this.stop.signal.aborted) {
      try {
        await this.listAbortable(async () => {
          for await (const execution of this.options.client.workflow.list({ query })) this.watch(execution.workflowId);
        });
      } catch (err) {
        if (!this.stop.signal.aborted) this.noteError(`listing orders: ${(err as Error).message}`);
      }
      await sleep(CONSOLE_ORDER_DISCOVERY_MS, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }
}
