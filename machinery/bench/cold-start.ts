/**
 * Cold start: from Invoke on the local Lambda service, with no warm execution environment, to the first activity
 * of a waiting order completed, read from the order's history. Each repetition deploys new functions, so their
 * first invocation is cold; a second order on the same function then measures the warm path for comparison. Three
 * functions side by side, in turns: the package with its compile cache as deployed (the handler's full V8 code
 * cache), the same with --enable-source-maps (opt-in: the handler then loads with require and Node's compile cache
 * only), and the package built with --no-compile-cache.
 */

import fs from 'node:fs';
import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {} from '../../config/settings';
import { sampleOrder } from '../../client/sample-order';
import { ensureCurrentVersion } from '../../worker/ensure-current-version';
import type { BenchStack } from './bench-stack';
import {
  BENCH_BUILD_ID,
  BENCH_MEMORY_MB,
  buildForDeployment,
  deployBenchFunction,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { coldStartBreakdown, type ColdStartBreakdown } from './cold-start-breakdown';
import { firstTaskMoments } from './order-history';
import { median, round } from './stats';
import { benchName } from './versioned-worker';
import { startOrder } from '../../client/start-order';

export interface ColdStartResult {
  coldMs: number[];
  warmMs: number[];
  medianColdMs: number;
  medianWarmMs: number;
  noCacheColdMs: number[];
  noCacheWarmMs: number[];
  medianNoCacheColdMs: number;
  medianNoCacheWarmMs: number;
  /** The cached package with NODE_OPTIONS=--enable-source-maps (opt-in): the handler loads with Node's cache only. */
  sourceMapsColdMs: number[];
  medianSourceMapsColdMs: number;
  medianSourceMapsWarmMs: number;
  /** Whether every cold environment of the cached package said it used the cache (its log line). */
  cacheUsed: boolean;
  /** The package as deployed: each cold start cut into its parts (machinery/bench/cold-start-breakdown.ts). */
  breakdown: ColdStartBreakdown[];
  /** Why a cold start has no breakdown, if one had none. */
  breakdownMissing?: string;
}

const IDLE_EXIT_MS = 1_500;

type Kind = 'cache' | 'full' | 'none';
type Runs = Record<Kind, { cold: number[]; warm: number[] }>;
const DESCRIBED: Record<Kind, string> = {
  cache: 'compile cache, as deployed',
  full: 'compile cache, --enable-source-maps',
  none: 'no cache',
};

export async function measureColdStart(
  stack: BenchStack,
  reps: number,
  memoryMb: number = BENCH_MEMORY_MB,
): Promise<ColdStartResult> {
  const deploymentName = benchName('bench-cold');
  const zipFile = await buildForDeployment(stack, deploymentName, undefined, { memoryMb });
  const noCacheZip = await buildForDeployment(stack, deploymentName, undefined, { compileCache: false, memoryMb });
  const environment = {
    TEMPORAL_TASK_QUEUE: deploymentName,
    SHOPFLOW_LATENCY_SCALE: '0',
    SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    SHOPFLOW_LAMBDA_IDLE_EXIT_MS: String(IDLE_EXIT_MS),
  };
  await makeVersionCurrent(stack, deploymentName, { zipFile, environment, memoryMb });

  const cuts: { breakdown: ColdStartBreakdown[]; missing?: string } = { breakdown: [] };
  const timeToFirstActivity = firstActivityTimer(stack, deploymentName, cuts);
  const runs: Runs = { cache: { cold: [], warm: [] }, full: { cold: [], warm: [] }, none: { cold: [], warm: [] } };
  let cacheUsed = true;
  const kinds: Kind[] = ['cache', 'full', 'none'];
  for (let rep = 0; rep < reps; rep++) {
    // Rotate which goes first, so none always meets the machine right after another's work.
    for (const kind of [...kinds.slice(rep % 3), ...kinds.slice(0, rep % 3)]) {
      const functionName = `${deploymentName}-${kind}-${rep + 1}`;
      await deployBenchFunction(stack, {
        functionName,
        zipFile: kind === 'none' ? noCacheZip : zipFile,
        memoryMb,
        // With source maps (opt-in: --env NODE_OPTIONS=--enable-source-maps) the handler loads with require.
        environment: kind === 'full' ? { ...environment, NODE_OPTIONS: '--enable-source-maps' } : environment,
      });
      const cold = await timeToFirstActivity(functionName, rep, kind === 'cache');
      const warm = await timeToFirstActivity(functionName, rep);
      runs[kind].cold.push(cold);
      runs[kind].warm.push(warm);
      if (kind !== 'none') cacheUsed &&= functionLogSays(stack, functionName, 'ShopFlow compile cache: used');
      stack.log(
        `  rep ${rep + 1}/${reps}, ${DESCRIBED[kind]}: cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms ` +
          '(Invoke to first activity completed)',
      );
    }
  }
  return coldStartResult(runs, cacheUsed, cuts);
}

function invokeAsync(stack: BenchStack, functionName: string) {
  return stack.lambdaClient.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event' }));
}

/** A first invocation's worker makes the server create the version; make it current, as register:lambda would. */
async function makeVersionCurrent(
  stack: BenchStack,
  deploymentName: string,
  deployment: { zipFile: string; environment: Record<string, string>; memoryMb: number },
): Promise<void> {
  const setup = `${deploymentName}-setup`;
  await deployBenchFunction(stack, { functionName: setup, ...deployment });
  await invokeAsync(stack, setup);
  await ensureCurrentVersion({
    connection: stack.native,
    namespace: 'default',
    version: { deploymentName, buildId: BENCH_BUILD_ID },
    identity: 'bench',
    timeoutMs: 60_000,
  });
  await waitUntilNoInvocationRuns(stack, [setup], 60_000);
}

/**
 * Times one order from Invoke to its first activity done on the function; with `cut`, the cold start's parts go
 * into `cuts` (or why it has none).
 */
function firstActivityTimer(
  stack: BenchStack,
  deploymentName: string,
  cuts: { breakdown: ColdStartBreakdown[]; missing?: string },
) {
  return async (functionName: string, index: number, cut = false): Promise<number> => {
    const order = sampleOrder(benchName('cold'), 'happy', index);
    const handle = await startOrder(stack.client, order, { taskQueue: deploymentName });
    const invokedAt = Date.now();
    await invokeAsync(stack, functionName);
    await handle.result();
    const moments = await firstTaskMoments(handle);
    const doneAt = moments.activityCompletedAt;
    await waitUntilNoInvocationRuns(stack, [functionName], 60_000);
    if (cut) {
      // The function is new: its first invocation is the cold one.
      const [cold] = stack.lambda.metrics.invocationsOf(functionName);
      const parts = coldStartBreakdown(invokedAt, moments, cold?.response, cold?.initDurationMs);
      if (typeof parts === 'string') cuts.missing = parts;
      else cuts.breakdown.push(parts);
    }
    return doneAt - invokedAt;
  };
}

function coldStartResult(
  runs: Runs,
  cacheUsed: boolean,
  cuts: { breakdown: ColdStartBreakdown[]; missing?: string },
): ColdStartResult {
  const rounded = (values: number[]) => values.map((ms) => round(ms, 0));
  return {
    coldMs: rounded(runs.cache.cold),
    warmMs: rounded(runs.cache.warm),
    medianColdMs: round(median(runs.cache.cold), 0),
    medianWarmMs: round(median(runs.cache.warm), 0),
    noCacheColdMs: rounded(runs.none.cold),
    noCacheWarmMs: rounded(runs.none.warm),
    medianNoCacheColdMs: round(median(runs.none.cold), 0),
    medianNoCacheWarmMs: round(median(runs.none.warm), 0),
    sourceMapsColdMs: rounded(runs.full.cold),
    medianSourceMapsColdMs: round(median(runs.full.cold), 0),
    medianSourceMapsWarmMs: round(median(runs.full.warm), 0),
    cacheUsed,
    breakdown: cuts.breakdown,
    ...(cuts.missing && { breakdownMissing: cuts.missing }),
  };
}

/** Whether the function's log (the local service's, as CloudWatch's would be) has the line. */
function functionLogSays(stack: BenchStack, functionName: string, line: string): boolean {
  const file = path.join(stack.workDir, 'lambda-local', 'logs', `${functionName}.log`);
  return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(line);
}
