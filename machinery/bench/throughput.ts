/**
 * Throughput and latency of one local worker with instant simulated services, against the baseline workflow of
 * four no-op activities, on the same server in the same run. Repetitions alternate which goes first, so drift
 * on a busy machine falls on both equally. Growth: the same measurement from 1 to 50 orders in flight.
 */

import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities, EffectJournal } from '../../activities';
import { scaledLatency } from '../../activities/simulated/latency';
import { createSimulatedServices } from '../../activities/simulated/simulated-services';
import { ORDER_WORKFLOW_TYPE } from '../../config/settings';
import { sampleOrder } from '../../client/sample-order';
import { workflowsSourcePath } from '../../worker/worker-options';
import { baselineActivities } from './baseline/activities';
import type { BenchStack } from './bench-stack';
import { runLoad, type LoadResult } from './order-load';
import { median, percentile, round } from './stats';
import { benchName, startVersionedWorker, type RunningWorker } from './versioned-worker';

export const THROUGHPUT_CONCURRENCY = 20;
export const GROWTH_CONCURRENCY = [1, 5, 10, 25, 50] as const;

export interface ThroughputResult {
  concurrency: number;
  ordersPerRep: number;
  shopflowOrdersPerSecond: number[];
  baselineOrdersPerSecond: number[];
  medianShopflow: number;
  medianBaseline: number;
  ratio: number;
  shopflowLatencyP50Ms: number;
  shopflowLatencyP95Ms: number;
  baselineLatencyP50Ms: number;
  baselineLatencyP95Ms: number;
}

export interface GrowthRow {
  concurrency: number;
  orders: number;
  ordersPerSecond: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

interface Contender {
  worker: RunningWorker;
  load(total: number, concurrency: number): Promise<LoadResult>;
}

async function startContenders(stack: BenchStack): Promise<{ shopflow: Contender; baseline: Contender }> {
  const logger = new DefaultLogger('WARN');
  const [shopflowBundle, baselineBundle] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), logger }),
    bundleWorkflowCode({ workflowsPath: require.resolve('./baseline/workflow'), logger }),
  ]);
  const identity = `${process.pid}@bench`;
  const journal = new EffectJournal(path.join(stack.workDir, 'throughput.journal.jsonl'));
  const shopflowWorker = await startVersionedWorker({
    connection: stack.native,
    name: 'bench-shopflow',
    activities: createActivities({
      services: createSimulatedServices({ journal, latency: scaledLatency(0) }),
      workerIdentity: () => identity,
    }) as never,
    workflowBundle: shopflowBundle,
  });
  stack.stage.own('ShopFlow bench worker', () => shopflowWorker.stop());
  const baselineWorker = await startVersionedWorker({
    connection: stack.native,
    name: 'bench-baseline',
    activities: baselineActivities,
    workflowBundle: baselineBundle,
  });
  stack.stage.own('baseline bench worker', () => baselineWorker.stop());

  let sequence = 0;
  const contender = (
    worker: RunningWorker,
    workflowType: string,
    argsFor: (id: string, i: number) => unknown[],
  ): Contender => ({
    worker,
    load: (total, concurrency) => {
      const batch = benchName('b');
      return runLoad({
        client: stack.client,
        taskQueue: worker.taskQueue,
        workflowType,
        total,
        concurrency,
        workflowIdFor: (i) => `${batch}-${sequence++}-${i}`,
        argsFor: (i) => argsFor(`${batch}-${i}`, i),
      });
    },
  });
  return {
    shopflow: contender(shopflowWorker, ORDER_WORKFLOW_TYPE, (id, i) => [sampleOrder(id, 'happy', i)]),
    baseline: contender(baselineWorker, 'BaselineWorkflow', (id) => [id]),
  };
}

export async function measureThroughput(
  stack: BenchStack,
  reps: number,
  orders: number,
  withGrowth: boolean,
): Promise<{ throughput: ThroughputResult; growth?: GrowthRow[] }> {
  const { shopflow, baseline } = await startContenders(stack);
  stack.log('  warming up both workers...');
  await shopflow.load(20, THROUGHPUT_CONCURRENCY);
  await baseline.load(20, THROUGHPUT_CONCURRENCY);

  const shopflowRuns: LoadResult[] = [];
  const baselineRuns: LoadResult[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? [shopflow, baseline] : [baseline, shopflow];
    for (const contender of order) {
      const result = await contender.load(orders, THROUGHPUT_CONCURRENCY);
      (contender === shopflow ? shopflowRuns : baselineRuns).push(result);
      stack.log(
        `  rep ${rep + 1}/${reps} ${contender === shopflow ? 'ShopFlow' : 'baseline'}: ${result.ordersPerSecond.toFixed(1)} orders/s`,
      );
    }
  }
  const allLatencies = (runs: LoadResult[]) => runs.flatMap((r) => r.latenciesMs);
  const medianShopflow = median(shopflowRuns.map((r) => r.ordersPerSecond));
  const medianBaseline = median(baselineRuns.map((r) => r.ordersPerSecond));
  const throughput: ThroughputResult = {
    concurrency: THROUGHPUT_CONCURRENCY,
    ordersPerRep: orders,
    shopflowOrdersPerSecond: shopflowRuns.map((r) => round(r.ordersPerSecond)),
    baselineOrdersPerSecond: baselineRuns.map((r) => round(r.ordersPerSecond)),
    medianShopflow: round(medianShopflow),
    medianBaseline: round(medianBaseline),
    ratio: round(medianShopflow / medianBaseline, 3),
    shopflowLatencyP50Ms: round(percentile(allLatencies(shopflowRuns), 50), 1),
    shopflowLatencyP95Ms: round(percentile(allLatencies(shopflowRuns), 95), 1),
    baselineLatencyP50Ms: round(percentile(allLatencies(baselineRuns), 50), 1),
    baselineLatencyP95Ms: round(percentile(allLatencies(baselineRuns), 95), 1),
  };

  let growth: GrowthRow[] | undefined;
  if (withGrowth) {
    growth = [];
    for (const concurrency of GROWTH_CONCURRENCY) {
      const total = Math.max(20, concurrency * 3);
      const runs: LoadResult[] = [];
      for (let rep = 0; rep < reps; rep++) runs.push(await shopflow.load(total, concurrency));
      const row = {
        concurrency,
        orders: total,
        ordersPerSecond: round(median(runs.map((r) => r.ordersPerSecond))),
        latencyP50Ms: round(percentile(allLatencies(runs), 50), 1),
        latencyP95Ms: round(percentile(allLatencies(runs), 95), 1),
      };
      stack.log(
        `  ${concurrency} in flight: ${row.ordersPerSecond} orders/s, p50 ${row.latencyP50Ms} ms, p95 ${row.latencyP95Ms} ms`,
      );
      growth.push(row);
    }
  }
  return { throughput, growth };
}
