/**
 * Right-sized memory: for each memory size, with the CPU share Lambda gives it applied to the local environments,
 * the cold start and failover sections' own measurements, then a few orders, one at a time with no worker up, for
 * the cost per order at Lambda's published prices (config/prices.ts). The cheapest size within both targets wins.
 * One at a time, not a burst: a local burst's environments share the host's cores, so its billed time measures
 * the contention, not the memory size (40+ s invocations at 512 MB for a 5-order burst, 2026-11-30).
 */

import os from 'node:os';
import { LAMBDA_PRICES } from '../../config/prices';
import { lambdaVcpus } from '../lambda-local/cpu-share';
import { hostArchitecture } from '../../config/lambda-architecture';
import { sampleOrder } from '../../client/sample-order';
import { startOrder } from '../../client/start-order';
import type { BenchStack } from './bench-stack';
import { deployCostFunction, waitUntilNoInvocationRuns } from './bench-functions';
import { measureColdStart } from './cold-start';
import { measureFailover } from './failover';
import { describeWaste, wasteOf, type WasteFigures } from './invocation-waste';
import { chooseMemorySize, type MemorySizeResult, type MemorySizeRow } from './memory-report';
import { round } from './stats';
import { COLD_START_TARGET_MS, FAILOVER_BEYOND_WORK_TARGET_MS } from './targets';
import { benchName } from './versioned-worker';

/**
 * Orders per size for the cost. Each finds the warm environment the registration's invocation left (as a function
 * in steady use would); the cold start's own cost is in the cold start column.
 */
const COST_ORDERS = 3;

/**
 * Billed GB-seconds and invocations of `orders` orders on a function of `memoryMb`, each submitted once the
 * invocations for the last one have ended (so each is billed its start, its work and its idle exit).
 */
async function costOfOrders(
  stack: BenchStack,
  memoryMb: number,
  orders: number,
): Promise<{ waste: WasteFigures; maxMemoryUsedMb?: number }> {
  // Registering makes the controller invoke the function once; that invocation is not an order's.
  const deploymentName = await deployCostFunction(stack, 'bench-mem', memoryMb);
  const started = Date.now();
  const batch = benchName('mem');
  for (let i = 0; i < orders; i++) {
    const order = sampleOrder(`${batch}-${i}`, 'happy', i);
    const handle = await startOrder(stack.client, order, { taskQueue: deploymentName });
    await handle.result();
    // The invocation idles out after the order: that is billed to the order too.
    await waitUntilNoInvocationRuns(stack, [deploymentName], 120_000);
  }
  const samples = stack.lambda.metrics.invocationsOf(deploymentName).filter((s) => s.startedAt >= started);
  const waste = wasteOf(samples);
  const peaks = samples.flatMap((s) => (s.maxMemoryUsedMb === undefined ? [] : [s.maxMemoryUsedMb]));
  const maxMemoryUsedMb = peaks.length > 0 ? Math.max(...peaks) : undefined;
  stack.log(`  ${orders} orders one at a time: ${describeWaste(waste)}; Max Memory Used ${maxMemoryUsedMb ?? '?'} MB`);
  return { waste, maxMemoryUsedMb };
}

export async function measureMemorySizes(
  stack: BenchStack,
  sizes: readonly number[],
  reps: number,
): Promise<MemorySizeResult> {
  const architecture = hostArchitecture(process.arch);
  const price = LAMBDA_PRICES.find((p) => p.architecture === architecture)!;
  const shares = stack.lambda.cpuShares;
  const cpuShare = shares.describe();
  stack.log(`  CPU per environment: ${cpuShare}`);
  const rows: MemorySizeRow[] = [];
  for (const memoryMb of sizes) {
    const vcpus = shares.applies ? round(lambdaVcpus(memoryMb, os.availableParallelism()), 3) : undefined;
    stack.log(`  ${memoryMb} MB (${vcpus === undefined ? 'CPU unlimited' : `${vcpus} vCPU`}):`);
    const cold = await measureColdStart(stack, reps, memoryMb);
    const failover = await measureFailover(stack, reps, memoryMb);
    const { waste: cost, maxMemoryUsedMb } = await costOfOrders(stack, memoryMb, COST_ORDERS);
    const usd = cost.billedGBSeconds * price.usdPerGbSecond + (cost.invocations / 1e6) * price.usdPerMillionRequests;
    const row: MemorySizeRow = {
      memoryMb,
      vcpus,
      coldMs: cold.coldMs,
      medianColdMs: cold.medianColdMs,
      failoverBeyondWorkMs: failover.beyondRemainingWorkMs,
      medianFailoverBeyondWorkMs: failover.medianBeyondRemainingWorkMs,
      orders: COST_ORDERS,
      invocations: cost.invocations,
      billedGBSeconds: cost.billedGBSeconds,
      gbSecondsPerOrder: round(cost.billedGBSeconds / COST_ORDERS, 3),
      usdPer1000Orders: round((usd / COST_ORDERS) * 1000, 6),
      maxMemoryUsedMb,
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
