/**
 * Cost per order as a function of the arrival rate: `happy` orders arrive steadily at each rate of
 * ARRIVAL_RATES_PER_MINUTE over a fixed window, with no local worker up, so only the bench's Lambda function serves
 * them (Temporal's worker controller invokes it). Per rate: billed GB-s, invocations and cold starts per order, the
 * INIT share, and the orders' start-to-close latency. Services keep their realistic latency: a real order waits on
 * them, and that wait is what a Lambda invocation is billed for.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { hostArchitecture } from '../../config/lambda-architecture';
import { sampleOrder } from '../../client/sample-order';
import { startOrder } from '../../client/start-order';
import { ARRIVAL_RATES_PER_MINUTE, arrivalPlan } from './arrival-schedule';
import type { BenchStack } from './bench-stack';
import { REALISTIC_LATENCY_SCALE, deployCostFunction, waitUntilNoInvocationRuns } from './bench-functions';
import { rateFigures, type RateFigures } from './traffic-figures';
import { benchName } from './versioned-worker';
import { measureWorkerCapacity, type WorkerCapacity } from './worker-capacity';

/** How long after the last arrival the orders may take to finish before the rate counts the rest as not completed. */
const DRAIN_TIMEOUT_MS = 120_000;

export interface ArrivalFunctionResult {
  memoryMb: number;
  architecture: string;
  rates: RateFigures[];
}

export interface ArrivalRatesResult {
  windowS: number;
  functions: ArrivalFunctionResult[];
  alwaysOnWorker: WorkerCapacity;
}

/** Start to close from the server's own timestamps, or undefined when the order did not complete. */
async function completedLatencyMs(handle: WorkflowHandle): Promise<number | undefined> {
  const description = await handle.describe();
  if (description.status.name !== 'COMPLETED' || !description.closeTime) return undefined;
  return description.closeTime.getTime() - description.startTime.getTime();
}

/** Resolves once every order has a result (or failed), or when the deadline passes, whichever is first. */
async function settle(handles: readonly WorkflowHandle[], timeoutMs: number): Promise<void> {
  const all = Promise.allSettled(handles.map((h) => h.result()));
  const deadline = new AbortController();
  await Promise.race([all, sleep(timeoutMs, undefined, { signal: deadline.signal }).catch(() => {})]);
  deadline.abort();
}

async function runRate(
  stack: BenchStack,
  functionName: string,
  ordersPerMinute: number,
  windowS: number,
): Promise<RateFigures> {
  const plan = arrivalPlan(ordersPerMinute, windowS);
  stack.log(`  ${ordersPerMinute}/min: ${plan.orders} orders over ${plan.windowS} s...`);
  // Nothing of the previous rate may still run: its invocations would be billed to this one.
  await waitUntilNoInvocationRuns(stack, [functionName], 120_000);
  const batch = benchName(`rate${ordersPerMinute}`);
  const started = Date.now();
  const handles: Promise<WorkflowHandle>[] = [];
  for (const [i, offsetMs] of plan.offsetsMs.entries()) {
    await sleep(Math.max(0, started + offsetMs - Date.now()));
    // Not awaited: a slow start must not delay the next arrival.
    handles.push(startOrder(stack.client, sampleOrder(`${batch}-${i}`, 'happy', i), { taskQueue: functionName }));
  }
  const submitted = await Promise.all(handles);
  await settle(submitted, DRAIN_TIMEOUT_MS);
  // The last invocation idles out after the last order: that is billed to the rate too.
  await waitUntilNoInvocationRuns(stack, [functionName], 120_000);
  const latencies = (await Promise.all(submitted.map(completedLatencyMs))).filter(
    (ms): ms is number => ms !== undefined,
  );
  const figures = rateFigures({
    ordersPerMinute,
    windowS: plan.windowS,
    orders: plan.orders,
    invocations: stack.lambda.metrics.invocationsOf(functionName).filter((s) => s.startedAt >= started),
    completedLatenciesMs: latencies,
  });
  stack.log(
    `  ${ordersPerMinute}/min: ${figures.completed}/${figures.orders} completed; ${figures.gbSecondsPerOrder} GB-s, ` +
      `${figures.invocationsPerOrder} invocations, ${figures.coldStartsPerOrder} cold starts ` +
      `(${figures.initGbSecondsPerOrder} GB-s INIT) per order; p50 ${figures.latencyP50Ms} ms, p95 ${figures.latencyP95Ms} ms`,
  );
  return figures;
}

export async function measureArrivalRates(
  stack: BenchStack,
  memorySizes: readonly number[],
  windowS: number,
): Promise<ArrivalRatesResult> {
  const functions: ArrivalFunctionResult[] = [];
  for (const memoryMb of memorySizes) {
    stack.log(`  ${memoryMb} MB function, no local worker up:`);
    const functionName = await deployCostFunction(stack, 'bench-rate', memoryMb);
    const rates: RateFigures[] = [];
    for (const ordersPerMinute of ARRIVAL_RATES_PER_MINUTE)
      rates.push(await runRate(stack, functionName, ordersPerMinute, windowS));
    functions.push({ memoryMb, architecture: hostArchitecture(process.arch), rates });
  }
  stack.log('  the always-on side: one local worker, realistic latency, more and more orders in flight');
  const alwaysOnWorker = await measureWorkerCapacity(stack, REALISTIC_LATENCY_SCALE);
  return { windowS, functions, alwaysOnWorker };
}
