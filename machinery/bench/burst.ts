/**
 * Burst scale-out: N orders arrive at once with no worker up. Temporal's worker controller invokes the Lambda
 * for the tasks that find no poller; the local Lambda service scales out environments as Lambda does. Measured:
 * time to drain, peak concurrent environments, invocations (useful and wasted) and billed GB-seconds, priced at
 * Lambda's published prices (config/prices.ts) next to one always-on worker for the same wall time. The same
 * burst then runs on one local worker, in the same run, for its drain time. Each burst runs twice: with
 * ShopFlow's scale-up cool-off and, as the baseline, with the worker controller's default.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities, EffectJournal } from '../../activities';
import { scaledLatency } from '../../activities/simulated/latency';
import { createSimulatedServices } from '../../activities/simulated/simulated-services';
import { LAMBDA_PRICES } from '../../config/prices';
import { LAMBDA_SCALE_UP_COOLOFF_MS } from '../../config/settings';
import { alwaysOnPrice } from '../../console/cost';
import { peakOverlap as peakOfSpans, type InvocationSample } from '../lambda-local/metrics';
import { hostArchitecture } from '../../config/lambda-architecture';
import { sampleOrder } from '../../client/sample-order';
import { workflowsSourcePath } from '../../worker/worker-options';
import type { BenchStack } from './bench-stack';
import {
  BENCH_MEMORY_MB,
  buildForDeployment,
  deployBenchFunction,
  registerBenchFunction,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { describeWaste, wasteOf, type WasteFigures } from './invocation-waste';
import { round } from './stats';
import { benchName, startVersionedWorker } from './versioned-worker';
import { startOrder } from '../../client/start-order';

/** Realistic simulated latency (about 2 s of service calls per order), the same for the Lambda and the worker. */
const LATENCY_SCALE = 1;

/** How the worker controller was told to scale: ShopFlow's cool-off, or Temporal's default (the baseline). */
export interface ScalerSetting {
  label: string;
  /** null: the controller's own default (100 ms). */
  scaleUpCooloffMs: number | null;
}

export const BURST_SCALERS: readonly ScalerSetting[] = [
  { label: `ShopFlow (cool-off ${LAMBDA_SCALE_UP_COOLOFF_MS} ms)`, scaleUpCooloffMs: LAMBDA_SCALE_UP_COOLOFF_MS },
  { label: "Temporal's default (100 ms)", scaleUpCooloffMs: null },
];

export interface BurstRow {
  orders: number;
  /** The scaler setting this burst ran with. */
  scaler: string;
  drainMs: number;
  peakEnvironments: number;
  coldStarts: number;
  waste: WasteFigures;
  lambdaUsd: number;
  /** One always-on worker, priced by the hour, for the Lambda's drain time. */
  alwaysOnUsd: number;
  /** The same burst on one local worker (always on, already warm). */
  localWorkerDrainMs: number;
}

export interface BurstResult {
  memoryMb: number;
  architecture: string;
  usdPerGbSecond: number;
  usdPerMillionRequests: number;
  alwaysOn: { label: string; usdPerHour: number };
  rows: BurstRow[];
}

/** The most invocations that overlapped at any moment: each ran in an environment of its own. */
export function peakOverlap(samples: readonly Pick<InvocationSample, 'startedAt' | 'endedAt'>[]): number {
  return peakOfSpans(samples.map((s) => [s.startedAt, s.endedAt] as const));
}

async function drain(stack: BenchStack, taskQueue: string, orders: number, tag: string): Promise<number> {
  const started = Date.now();
  const batch = benchName(tag);
  const handles = await Promise.all(
    Array.from({ length: orders }, (_, i) => {
      const order = sampleOrder(`${batch}-${i}`, 'happy', i);
      return startOrder(stack.client, order, { taskQueue });
    }),
  );
  await Promise.all(handles.map((h) => h.result()));
  return Date.now() - started;
}

/** One worker on its own task queue, like `npm run worker`, warm before the burst arrives. */
async function localWorkerDrain(stack: BenchStack, sizes: readonly number[]): Promise<Map<number, number>> {
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), logger: new DefaultLogger('WARN') });
  const journal = new EffectJournal(path.join(stack.workDir, 'burst-local.journal.jsonl'));
  const identity = `${process.pid}@bench-burst`;
  const services = createSimulatedServices({ journal, latency: scaledLatency(LATENCY_SCALE) });
  const worker = await startVersionedWorker({
    connection: stack.native,
    name: 'bench-burst-local',
    activities: createActivities({ services, workerIdentity: () => identity }) as never,
    workflowBundle: bundle,
  });
  stack.stage.own('burst local worker', () => worker.stop());
  const drains = new Map<number, number>();
  try {
    for (const orders of sizes) {
      drains.set(orders, await drain(stack, worker.taskQueue, orders, 'burst-local'));
      stack.log(`  ${orders} orders on one local worker: drained in ${drains.get(orders)} ms`);
    }
  } finally {
    await worker.stop();
  }
  return drains;
}

export async function measureBurst(stack: BenchStack, sizes: readonly number[]): Promise<BurstResult> {
  const architecture = hostArchitecture(process.arch);
  const price = LAMBDA_PRICES.find((p) => p.architecture === architecture)!;
  const alwaysOn = alwaysOnPrice();
  const lambdaRows: Omit<BurstRow, 'localWorkerDrainMs'>[] = [];
  for (const [index, scaler] of BURST_SCALERS.entries()) {
    const deploymentName = benchName(index === 0 ? 'bench-burst' : 'bench-burst-default');
    const zipFile = await buildForDeployment(stack, deploymentName);
    const environment = {
      TEMPORAL_TASK_QUEUE: deploymentName,
      SHOPFLOW_LATENCY_SCALE: String(LATENCY_SCALE),
      SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    };
    const functionArn = await deployBenchFunction(stack, { functionName: deploymentName, zipFile, environment });
    // Registering makes the controller invoke the function once; that invocation is not part of any burst.
    await registerBenchFunction(stack, deploymentName, functionArn, { scaleUpCooloffMs: scaler.scaleUpCooloffMs });
    for (const orders of sizes) {
      // A new revision: the service reaps the warm environments of the last burst, so every burst starts cold.
      await stack.lambdaClient.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: deploymentName,
          Environment: {
            Variables: {
              ...environment,
              TEMPORAL_ADDRESS: stack.address,
              TEMPORAL_NAMESPACE: 'default',
              SHOPFLOW_BURST: String(orders),
            },
          },
        }),
      );
      await waitUntilFunctionUpdatedV2(
        { client: stack.lambdaClient, maxWaitTime: 60 },
        { FunctionName: deploymentName },
      );
      await sleep(1_500);
      const burstStart = Date.now();
      const drainMs = await drain(stack, deploymentName, orders, 'burst');
      // Invocations still polling when the last order finished are billed to this burst too.
      await waitUntilNoInvocationRuns(stack, [deploymentName], 180_000);
      const samples = stack.lambda.metrics.invocationsOf(deploymentName).filter((s) => s.startedAt >= burstStart);
      const waste = wasteOf(samples);
      const lambdaUsd =
        waste.billedGBSeconds * price.usdPerGbSecond + (samples.length / 1_000_000) * price.usdPerMillionRequests;
      const row = {
        orders,
        scaler: scaler.label,
        drainMs,
        peakEnvironments: peakOverlap(samples),
        coldStarts: samples.filter((s) => s.coldStart).length,
        waste,
        lambdaUsd,
        alwaysOnUsd: (drainMs / 3_600_000) * alwaysOn.usdPerHour,
      };
      stack.log(
        `  ${orders} orders on the Lambda, scaler ${scaler.label}: drained in ${drainMs} ms, ` +
          `peak ${row.peakEnvironments} environments, ${describeWaste(waste)}`,
      );
      lambdaRows.push(row);
    }
  }
  const localDrains = await localWorkerDrain(stack, sizes);
  return {
    memoryMb: BENCH_MEMORY_MB,
    architecture,
    usdPerGbSecond: price.usdPerGbSecond,
    usdPerMillionRequests: price.usdPerMillionRequests,
    alwaysOn,
    rows: lambdaRows.map((r) => ({
      ...r,
      lambdaUsd: round(r.lambdaUsd, 8),
      alwaysOnUsd: round(r.alwaysOnUsd, 8),
      localWorkerDrainMs: localDrains.get(r.orders)!,
    })),
  };
}
