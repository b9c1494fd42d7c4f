/**
 * The always-on side's input to the cost model: how many orders a second one local worker sustains when its
 * services have realistic latency (throughput.ts measures it with instant services, which is the CPU's limit, not
 * a real order's). The same in-process worker as throughput.ts, with more and more orders in flight; the best
 * rate is what it sustains.
 */

import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities, EffectJournal } from '../../activities';
import { scaledLatency } from '../../activities/simulated/latency';
import { createSimulatedServices } from '../../activities/simulated/simulated-services';
import { ORDER_WORKFLOW_TYPE } from '../../config/settings';
import { sampleOrder } from '../../client/sample-order';
import { workflowsSourcePath } from '../../worker/worker-options';
import type { BenchStack } from './bench-stack';
import { runLoad, type LoadResult } from './order-load';
import { percentile, round } from './stats';
import { benchName, startVersionedWorker } from './versioned-worker';

/** Orders in flight per step: past the worker's 100 activity slots, so the last step shows where it levels off. */
export const CAPACITY_CONCURRENCY = [25, 50, 100, 200] as const;
/** Each step sends this many orders per order in flight, so its rate is not just its ramp-up. */
const ORDERS_PER_LANE = 2;

export interface WorkerCapacity {
  ordersPerSecond: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** The step with the best rate. */
  concurrency: number;
  steps: { concurrency: number; orders: number; ordersPerSecond: number; latencyP50Ms: number }[];
}

export async function measureWorkerCapacity(stack: BenchStack, latencyScale: number): Promise<WorkerCapacity> {
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), logger: new DefaultLogger('WARN') });
  const identity = `${process.pid}@bench`;
  const journal = new EffectJournal(path.join(stack.workDir, 'capacity.journal.jsonl'));
  const worker = await startVersionedWorker({
    connection: stack.native,
    name: 'bench-capacity',
    activities: createActivities({
      services: createSimulatedServices({ journal, latency: scaledLatency(latencyScale) }),
      workerIdentity: () => identity,
    }) as never,
    workflowBundle: bundle,
  });
  // Stopped here when done, or by the stage if the run is interrupted; whichever is first.
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= worker.stop());
  stack.stage.own('capacity bench worker', stop);
  const steps: { concurrency: number; run: LoadResult }[] = [];
  try {
    for (const concurrency of CAPACITY_CONCURRENCY) {
      const batch = benchName('cap');
      const run = await runLoad({
        client: stack.client,
        taskQueue: worker.taskQueue,
        workflowType: ORDER_WORKFLOW_TYPE,
        total: concurrency * ORDERS_PER_LANE,
        concurrency,
        workflowIdFor: (i) => `${batch}-${i}`,
        argsFor: (i) => [sampleOrder(`${batch}-${i}`, 'happy', i)],
      });
      steps.push({ concurrency, run });
      stack.log(
        `  ${concurrency} in flight: ${run.ordersPerSecond.toFixed(1)} orders/s, ` +
          `p50 ${Math.round(percentile(run.latenciesMs, 50))} ms`,
      );
    }
  } finally {
    await stop();
  }
  const best = steps.reduce((a, b) => (b.run.ordersPerSecond > a.run.ordersPerSecond ? b : a));
  return {
    ordersPerSecond: round(best.run.ordersPerSecond, 1),
    latencyP50Ms: Math.round(percentile(best.run.latenciesMs, 50)),
    latencyP95Ms: Math.round(percentile(best.run.latenciesMs, 95)),
    concurrency: best.concurrency,
    steps: steps.map(({ concurrency, run }) => ({
      concurrency,
      orders: run.orders,
      ordersPerSecond: round(run.ordersPerSecond, 1),
      latencyP50Ms: Math.round(percentile(run.latenciesMs, 50)),
    })),
  };
}
