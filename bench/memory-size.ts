/**
 * Right-sized memory: for each memory size, with the CPU share Lambda gives it applied to the local environments,
 * the cold start and failover sections' own measurements, then a small burst with no worker up for the cost per
 * order at Lambda's published prices (config/prices.ts). The cheapest size within both targets is chosen.
 */

import os from 'node:os';
import path from 'node:path';
import { LAMBDA_PRICES } from '../config/prices';
import { ORDER_WORKFLOW_TYPE, orderWorkflowId } from '../config/settings';
import { lambdaVcpus } from '../lambda-local/cpu-share';
import { LOCAL_LAMBDA_DEFAULTS } from '../lambda-local/settings';
import { hostArchitecture } from '../lambda/build-info';
import { sampleOrder } from '../starter/sample-order';
import type { BenchStack } from './bench-stack';
import {
  buildForDeployment,
  deployBenchFunction,
  registerBenchFunction,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { measureColdStart } from './cold-start';
import { measureFailover } from './failover';
import { wasteOf } from './invocation-waste';
import { chooseMemorySize, type MemorySizeResult, type MemorySizeRow } from './memory-report';
import { round } from './stats';
import { COLD_START_TARGET_MS, FAILOVER_BEYOND_WORK_TARGET_MS } from './targets';
import { benchName } from './versioned-worker';

/** Orders in each size's cost burst: enough for a few invocations to share them, few enough to stay quick. */
const COST_BURST_ORDERS = 5;
/** Realistic simulated latency (about 2 s of service calls per order): a real order waits on its services. */
const COST_LATENCY_SCALE = 1;

/** Billed GB-seconds and invocations of `orders` orders started at once on a function of `memoryMb`. */
async function costOfOrders(
  stack: BenchStack,
  memoryMb: number,
  orders: number,
): Promise<{ billedGBSeconds: number; invocations: number }> {
  const deploymentName = benchName(`bench-mem${memoryMb}`);
  const zipFile = await buildForDeployment(stack, deploymentName);
  const functionArn = await deployBenchFunction(stack, {
    functionName: deploymentName,
    zipFile,
    memoryMb,
    environment: {
      TEMPORAL_TASK_QUEUE: deploymentName,
      SHOPFLOW_LATENCY_SCALE: String(COST_LATENCY_SCALE),
      SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    },
  });
  // Registering makes the controller invoke the function once; that invocation is not an order's.
  await registerBenchFunction(stack, deploymentName, functionArn);
  const started = Date.now();
  const batch = benchName('mem');
  const handles = await Promise.all(
    Array.from({ length: orders }, (_, i) => {
      const order = sampleOrder(`${batch}-${i}`, 'happy', i);
      return stack.client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: deploymentName,
        workflowId: orderWorkflowId(order.orderId),
        args: [order],
      });
    }),
  );
  await Promise.all(handles.map((h) => h.result()));
  // Invocations still polling when the last order finished are billed to these orders too.
  await waitUntilNoInvocationRuns(stack, [deploymentName], 120_000);
  const samples = stack.lambda.metrics.invocationsOf(deploymentName).filter((s) => s.startedAt >= started);
  return { billedGBSeconds: wasteOf(samples).billedGBSeconds, invocations: samples.length };
}

export async function measureMemorySizes(
  stack: BenchStack,
  sizes: readonly number[],
  reps: number,
): Promise<MemorySizeResult> {
  const architecture = hostArchitecture();
  const price = LAMBDA_PRICES.find((p) => p.architecture === architecture)!;
  const shares = stack.lambda.cpuShares;
  const cpuShare = shares.applies
    ? `cgroup ${shares.version}, 1 vCPU per ${LOCAL_LAMBDA_DEFAULTS.cpuShareMbPerVcpu} MB`
    : `unlimited, not Lambda's share (${shares.unavailable ?? 'turned off'})`;
  stack.log(`  CPU per environment: ${cpuShare}`);
  const rows: MemorySizeRow[] = [];
  for (const memoryMb of sizes) {
    const vcpus = shares.applies ? round(lambdaVcpus(memoryMb, os.availableParallelism()), 3) : undefined;
    stack.log(`  ${memoryMb} MB (${vcpus === undefined ? 'CPU unlimited' : `${vcpus} vCPU`}):`);
    const cold = await measureColdStart(stack, reps, memoryMb);
    const failover = await measureFailover(stack, reps, memoryMb);
    const cost = await costOfOrders(stack, memoryMb, COST_BURST_ORDERS);
    const usd = cost.billedGBSeconds * price.usdPerGbSecond + (cost.invocations / 1e6) * price.usdPerMillionRequests;
    const row: MemorySizeRow = {
      memoryMb,
      vcpus,
      coldMs: cold.coldMs,
      medianColdMs: cold.medianColdMs,
      failoverBeyondWorkMs: failover.beyondRemainingWorkMs,
      medianFailoverBeyondWorkMs: failover.medianBeyondRemainingWorkMs,
      orders: COST_BURST_ORDERS,
      invocations: cost.invocations,
      billedGBSeconds: cost.billedGBSeconds,
      gbSecondsPerOrder: round(cost.billedGBSeconds / COST_BURST_ORDERS, 3),
      usdPer1000Orders: round((usd / COST_BURST_ORDERS) * 1000, 6),
    };
    stack.log(
      `  ${memoryMb} MB: cold start ${row.medianColdMs} ms, failover ${row.medianFailoverBeyondWorkMs} ms beyond the ` +
        `work left, ${row.gbSecondsPerOrder} GB-s per order ($${row.usdPer1000Orders} per 1000 orders)`,
    );
    rows.push(row);
  }
  return {
    cpuShare,
    cpuShareApplied: shares.applies,
    reps,
    architecture,
    usdPerGbSecond: price.usdPerGbSecond,
    usdPerMillionRequests: price.usdPerMillionRequests,
    coldStartTargetMs: COLD_START_TARGET_MS,
    failoverTargetMs: FAILOVER_BEYOND_WORK_TARGET_MS,
    rows,
    chosen: chooseMemorySize(rows),
  };
}
