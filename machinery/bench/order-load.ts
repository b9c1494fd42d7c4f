/** Drives orders through a worker: keeps N in flight, records each order's start-to-result latency. */

import type { Client } from '@temporalio/client';

export interface LoadResult {
  orders: number;
  elapsedMs: number;
  ordersPerSecond: number;
  latenciesMs: number[];
}

export async function runLoad(options: {
  client: Client;
  taskQueue: string;
  workflowType: string;
  argsFor: (index: number) => unknown[];
  workflowIdFor: (index: number) => string;
  total: number;
  concurrency: number;
}): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < options.total) {
      const index = next++;
      const orderStarted = performance.now();
      const handle = await options.client.workflow.start(options.workflowType, {
        taskQueue: options.taskQueue,
        workflowId: options.workflowIdFor(index),
        args: options.argsFor(index),
      });
      await handle.result();
      latenciesMs.push(performance.now() - orderStarted);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, lane));
  const elapsedMs = performance.now() - started;
  return { orders: options.total, elapsedMs, ordersPerSecond: (options.total * 1000) / elapsedMs, latenciesMs };
}
