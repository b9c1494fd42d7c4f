/**
 * The long haul: one shipment of LONG_HAUL_TIMEOUTS function timeouts, on the Lambda alone (no local worker up),
 * then the same haul on an always-on local worker. Figures come from the order's history (chunk Started/Completed
 * times), from polls of the chunk in flight (attempts lost mid-chunk and their last heartbeat) and from the local
 * Lambda service's invocation records (start, end, billed GB-s).
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS, LONG_HAUL_CHUNK_MS } from '../../config/settings';
import type { Order } from '../../domain/order';
import type { OrderResult } from '../../domain/status';
import { chunkActivities, pendingChunk } from '../../client/haul-history';
import { isLambdaIdentity } from '../../client/describe-worker';
import { sampleOrder } from '../../client/sample-order';
import { startOrder } from '../../client/start-order';
import type { BenchStack } from './bench-stack';
import {
  BENCH_MEMORY_MB,
  buildForDeployment,
  deployBenchFunction,
  registerBenchFunction,
  startBenchWorker,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { billedAgainstWork, haulFigures, type HaulFigures, type LostAttempt } from './long-haul-figures';
import { benchName } from './versioned-worker';

/** Short, as in the Lambda test, so a haul of several timeouts takes under a minute. */
export const LONG_HAUL_FUNCTION_TIMEOUT_S = 12;
/** The haul, in function timeouts: inside the 3 to 5. */
export const LONG_HAUL_TIMEOUTS = 4;
const HAUL_MS = LONG_HAUL_TIMEOUTS * LONG_HAUL_FUNCTION_TIMEOUT_S * 1000;
/** Often enough to see every attempt of a chunk before it is lost (an attempt lives for seconds). */
const POLL_MS = 250;

export interface LongHaulResult {
  haulMs: number;
  chunkMs: number;
  heartbeatIntervalMs: number;
  functionTimeoutS: number;
  memoryMb: number;
  lambda: {
    completed: boolean;
    /** Every step ran on a Lambda invocation. */
    lambdaAlone: boolean;
    /** Invocations from the order's start until none ran any more. */
    invocations: number;
    figures: HaulFigures;
    orderWallMs: number;
    billedGBSeconds: number;
    workGBSeconds: number;
    billedToWork: number;
  };
  local: { completed: boolean; figures: HaulFigures; orderWallMs: number };
}

/** Polls the chunk in flight until stopped; afterwards, the attempts it saw that the history says were lost. */
function watchAttempts(handle: WorkflowHandle): { stop(): Promise<LostAttempt[]> } {
  const seen = new Map<string, LostAttempt>();
  let running = true;
  const polling = (async () => {
    while (running) {
      const pending = await pendingChunk(handle).catch(() => undefined);
      if (pending?.activityId && pending.attempt > 0) {
        seen.set(`${pending.activityId}:${pending.attempt}`, {
          activityId: pending.activityId,
          attempt: pending.attempt,
          workerIdentity: pending.lastWorkerIdentity,
          lastHeartbeatAtMs: pending.lastHeartbeatAtMs,
        });
      }
      await sleep(POLL_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await polling;
      const lost: LostAttempt[] = [];
      for (const chunk of await chunkActivities(handle)) {
        // Every attempt before the one that completed was lost; one the polls missed has no known heartbeat.
        for (let attempt = 1; attempt < chunk.attempt; attempt++)
          lost.push(seen.get(`${chunk.activityId}:${attempt}`) ?? { activityId: chunk.activityId!, attempt });
      }
      return lost;
    },
  };
}

async function haul(stack: BenchStack, taskQueue?: string) {
  const order: Order = { ...sampleOrder(benchName('haul'), 'long-haul'), longHaulMs: HAUL_MS };
  const started = Date.now();
  const handle = await startOrder(stack.client, order, taskQueue ? { taskQueue } : {});
  const attempts = watchAttempts(handle);
  const result = (await handle.result()) as OrderResult;
  const orderWallMs = Date.now() - started;
  const lost = await attempts.stop();
  return { started, result, orderWallMs, lost, chunks: await chunkActivities(handle) };
}

async function onLambda(stack: BenchStack): Promise<LongHaulResult['lambda']> {
  const deploymentName = benchName('bench-haul');
  const zipFile = await buildForDeployment(stack, deploymentName);
  const functionArn = await deployBenchFunction(stack, {
    functionName: deploymentName,
    zipFile,
    timeoutSeconds: LONG_HAUL_FUNCTION_TIMEOUT_S,
    environment: {
      TEMPORAL_TASK_QUEUE: deploymentName,
      SHOPFLOW_LATENCY_SCALE: '0',
      SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    },
  });
  await registerBenchFunction(stack, deploymentName, functionArn);
  const run = await haul(stack, deploymentName);
  await waitUntilNoInvocationRuns(stack, [deploymentName], 4 * LONG_HAUL_FUNCTION_TIMEOUT_S * 1000);
  const invocations = stack.lambda.metrics.invocationsOf(deploymentName).filter((i) => i.startedAt >= run.started);
  const figures = haulFigures(run.chunks, run.lost, invocations);
  const cost = billedAgainstWork(invocations, HAUL_MS, BENCH_MEMORY_MB);
  return {
    completed: run.result.status.state === 'COMPLETED',
    lambdaAlone: run.result.status.steps.every((s) => isLambdaIdentity(s.worker)),
    invocations: invocations.length,
    figures,
    orderWallMs: run.orderWallMs,
    billedGBSeconds: cost.billedGBSeconds,
    workGBSeconds: cost.workGBSeconds,
    billedToWork: cost.ratio,
  };
}

async function onLocalWorker(stack: BenchStack): Promise<LongHaulResult['local']> {
  // A deployment of its own on the default task queue: no Lambda is registered for it, so nothing else takes a task.
  const worker = await startBenchWorker(stack, benchName('bench-haul-local'), { SHOPFLOW_LATENCY_SCALE: '0' });
  try {
    const run = await haul(stack);
    return {
      completed: run.result.status.state === 'COMPLETED',
      figures: haulFigures(run.chunks, run.lost),
      orderWallMs: run.orderWallMs,
    };
  } finally {
    await worker.stop('SIGTERM');
  }
}

export async function measureLongHaul(stack: BenchStack): Promise<LongHaulResult> {
  const lambda = await onLambda(stack);
  const g = lambda.figures;
  stack.log(
    `  Lambda: ${HAUL_MS / 1000} s haul, ${g.chunks} chunks over ${lambda.invocations} invocation(s) ` +
      `(${g.workers} ran chunks); repeated work per handover max ${g.maxRepeatedMs} ms; gap per handover ` +
      `median ${g.medianGapMs} / max ${g.maxGapMs} ms; ${lambda.billedGBSeconds} GB-s for ${lambda.workGBSeconds} GB-s of work`,
  );
  const local = await onLocalWorker(stack);
  stack.log(
    `  local worker: haul ${local.figures.haulWallMs} ms, gap per chunk median ${local.figures.medianGapMs} / ` +
      `max ${local.figures.maxGapMs} ms`,
  );
  return {
    haulMs: HAUL_MS,
    chunkMs: LONG_HAUL_CHUNK_MS,
    heartbeatIntervalMs: ACTIVITY_HEARTBEAT_INTERVAL_MS,
    functionTimeoutS: LONG_HAUL_FUNCTION_TIMEOUT_S,
    memoryMb: BENCH_MEMORY_MB,
    lambda,
    local,
  };
}
