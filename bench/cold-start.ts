/**
 * Cold start: from Invoke on the local Lambda service, with no warm execution environment, to the first activity
 * of a waiting order completed, read from the order's history. Each repetition deploys a new function, so its
 * first invocation is cold; a second order on the same function then measures the warm path for comparison.
 */

import path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ORDER_WORKFLOW_TYPE, orderWorkflowId } from '../config/settings';
import { sampleOrder } from '../starter/sample-order';
import { ensureCurrentVersion } from '../worker/ensure-current-version';
import type { BenchStack } from './bench-stack';
import {
  BENCH_BUILD_ID,
  BENCH_MEMORY_MB,
  buildForDeployment,
  deployBenchFunction,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { firstActivityCompletedAt } from './order-history';
import { median, round } from './stats';
import { benchName } from './versioned-worker';

export interface ColdStartResult {
  coldMs: number[];
  warmMs: number[];
  medianColdMs: number;
  medianWarmMs: number;
}

const IDLE_EXIT_MS = 1_500;

export async function measureColdStart(
  stack: BenchStack,
  reps: number,
  memoryMb: number = BENCH_MEMORY_MB,
): Promise<ColdStartResult> {
  const deploymentName = benchName('bench-cold');
  const zipFile = await buildForDeployment(stack, deploymentName);
  const environment = {
    TEMPORAL_TASK_QUEUE: deploymentName,
    SHOPFLOW_LATENCY_SCALE: '0',
    SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    SHOPFLOW_LAMBDA_IDLE_EXIT_MS: String(IDLE_EXIT_MS),
  };
  const invoke = (functionName: string) =>
    stack.lambdaClient.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event' }));

  // A first invocation's worker makes the server create the version; make it current, as register:lambda would.
  const setup = `${deploymentName}-setup`;
  await deployBenchFunction(stack, { functionName: setup, zipFile, environment, memoryMb });
  await invoke(setup);
  await ensureCurrentVersion({
    connection: stack.native,
    namespace: 'default',
    version: { deploymentName, buildId: BENCH_BUILD_ID },
    identity: 'bench',
    timeoutMs: 60_000,
  });
  await waitUntilNoInvocationRuns(stack, [setup], 60_000);

  const timeToFirstActivity = async (functionName: string, index: number): Promise<number> => {
    const order = sampleOrder(benchName('cold'), 'happy', index);
    const handle = await stack.client.workflow.start(ORDER_WORKFLOW_TYPE, {
      taskQueue: deploymentName,
      workflowId: orderWorkflowId(order.orderId),
      args: [order],
    });
    const invokedAt = Date.now();
    await invoke(functionName);
    await handle.result();
    const ms = (await firstActivityCompletedAt(handle)) - invokedAt;
    await waitUntilNoInvocationRuns(stack, [functionName], 60_000);
    return ms;
  };

  const coldMs: number[] = [];
  const warmMs: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const functionName = `${deploymentName}-${rep + 1}`;
    await deployBenchFunction(stack, { functionName, zipFile, environment, memoryMb });
    coldMs.push(await timeToFirstActivity(functionName, rep));
    warmMs.push(await timeToFirstActivity(functionName, rep));
    stack.log(
      `  rep ${rep + 1}/${reps}: cold ${coldMs[rep].toFixed(0)} ms, warm ${warmMs[rep].toFixed(0)} ms (Invoke to first activity completed)`,
    );
  }
  return {
    coldMs: coldMs.map((ms) => round(ms, 0)),
    warmMs: warmMs.map((ms) => round(ms, 0)),
    medianColdMs: round(median(coldMs), 0),
    medianWarmMs: round(median(warmMs), 0),
  };
}
