/**
 * The cost of idleness: the same burst of orders goes to two functions in turn, on the same server, with the
 * same timeout and memory: ShopFlow's Lambda worker (idle exit) and the same code run by the official
 * `runWorker` (polls until the deadline). Temporal's worker controller invokes both. Billed GB-seconds are
 * summed over the invocations that served the burst; an idle window follows, in which nothing may be invoked.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LAMBDA_RECOMMENDED_TIMEOUT_S } from '../../config/settings';
import { registerLambda } from '../deployment/lambda-registration';
import { localLambdaTarget } from '../lambda-local/local-aws-clients';
import { sampleOrder } from '../../client/sample-order';
import { billedGBSeconds } from '../lambda-local/metrics';
import type { BenchStack } from './bench-stack';
import {
  BENCH_BUILD_ID,
  BENCH_MEMORY_MB,
  buildForDeployment,
  deployBenchFunction,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { describeWaste, wasteOf, type WasteFigures } from './invocation-waste';
import { round } from './stats';
import { benchName } from './versioned-worker';
import { startOrder } from '../../client/start-order';

export const BURST_ORDERS = 5;
/** Long enough that the official lifecycle's invocations reach their deadline inside the window. */
const IDLE_WINDOW_MS = (LAMBDA_RECOMMENDED_TIMEOUT_S + 10) * 1000;

export interface LifecycleCost {
  invocations: number;
  billedGBSeconds: number;
  invocationsDuringIdle: number;
  burstMs: number;
  /** Useful and wasted invocations (the official lifecycle returns no summary, so its are all 'no summary'). */
  waste: WasteFigures;
}

export interface IdleCostResult {
  orders: number;
  timeoutSeconds: number;
  memoryMb: number;
  idleWindowS: number;
  idleExit: LifecycleCost;
  official: LifecycleCost;
  ratio: number;
}

interface Contender {
  functionName: string;
  taskQueue: string;
}

async function prepare(stack: BenchStack, prefix: string, entry?: string): Promise<Contender> {
  const deploymentName = benchName(prefix);
  const zipFile = await buildForDeployment(stack, deploymentName, entry);
  const functionArn = await deployBenchFunction(stack, {
    functionName: deploymentName,
    zipFile,
    environment: {
      TEMPORAL_TASK_QUEUE: deploymentName,
      SHOPFLOW_LATENCY_SCALE: '1',
      SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    },
  });
  await registerLambda({
    connection: stack.native,
    namespace: 'default',
    version: { deploymentName, buildId: BENCH_BUILD_ID },
    target: localLambdaTarget(functionArn),
    identity: 'bench',
    makeCurrent: true,
    allowLatest: true,
  });
  return { functionName: deploymentName, taskQueue: deploymentName };
}

async function burst(stack: BenchStack, contender: Contender): Promise<number> {
  const started = Date.now();
  const handles = await Promise.all(
    Array.from({ length: BURST_ORDERS }, (_, i) => {
      const order = sampleOrder(benchName('idle'), 'happy', i);
      return startOrder(stack.client, order, { taskQueue: contender.taskQueue });
    }),
  );
  await Promise.all(handles.map((h) => h.result()));
  return Date.now() - started;
}

function cost(
  stack: BenchStack,
  contender: Contender,
  burstStart: number,
  burstEnd: number,
  burstMs: number,
): LifecycleCost {
  const served = stack.lambda.metrics.invocationsOf(contender.functionName).filter((i) => i.startedAt >= burstStart);
  return {
    invocations: served.length,
    billedGBSeconds: round(
      served.reduce((sum, i) => sum + billedGBSeconds(i), 0),
      1,
    ),
    // Anything that started after the last order completed was invoked for nothing.
    invocationsDuringIdle: served.filter((i) => i.startedAt > burstEnd).length,
    burstMs,
    waste: wasteOf(served),
  };
}

/** One contender's burst, then the idle window; its cost counts the invocations that started from the burst on. */
async function burstThenIdle(stack: BenchStack, contender: Contender): Promise<LifecycleCost> {
  await waitUntilNoInvocationRuns(stack, [contender.functionName], (LAMBDA_RECOMMENDED_TIMEOUT_S + 30) * 1000);
  const burstStart = Date.now();
  const burstMs = await burst(stack, contender);
  const burstEnd = Date.now();
  await sleep(Math.max(0, burstEnd + IDLE_WINDOW_MS - Date.now()));
  await waitUntilNoInvocationRuns(stack, [contender.functionName], 4 * LAMBDA_RECOMMENDED_TIMEOUT_S * 1000);
  const measured = cost(stack, contender, burstStart, burstEnd, burstMs);
  stack.log(
    `  ${contender.functionName}: orders done in ${burstMs} ms; ${measured.invocations} invocation(s), ${measured.billedGBSeconds} GB-s, ${measured.invocationsDuringIdle} while idle`,
  );
  stack.log(`    ${describeWaste(measured.waste)}`);
  return measured;
}

export async function measureIdleCost(stack: BenchStack): Promise<IdleCostResult> {
  const idleExit = await prepare(stack, 'bench-idle-exit');
  const official = await prepare(stack, 'bench-official', path.join(__dirname, 'official-lambda', 'index.ts'));
  // One after the other, so that neither's cold starts steal the other's CPU on a small machine. Registration made
  // the controller invoke each function once; the official one's runs to its deadline during ShopFlow's turn.
  stack.log(`  a burst of ${BURST_ORDERS} orders to each in turn, each followed by ${IDLE_WINDOW_MS / 1000} s idle...`);
  await sleep(1_000);
  const idleExitCost = await burstThenIdle(stack, idleExit);
  const officialCost = await burstThenIdle(stack, official);
  return {
    orders: BURST_ORDERS,
    timeoutSeconds: LAMBDA_RECOMMENDED_TIMEOUT_S,
    memoryMb: BENCH_MEMORY_MB,
    idleWindowS: IDLE_WINDOW_MS / 1000,
    idleExit: idleExitCost,
    official: officialCost,
    ratio: round(idleExitCost.billedGBSeconds / officialCost.billedGBSeconds, 3),
  };
}
