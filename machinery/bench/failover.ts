/**
 * Failover: a local worker (`worker/main.ts`, a real process) is SIGKILLed in the middle of a slow activity; the
 * activity's heartbeat times out, no worker polls, Temporal's worker controller invokes the Lambda and the order
 * completes there. Measured from the kill to the order's completion, and beyond the simulated work that was
 * still to do at the kill (the rest of the slow step), which is what the target is stated against.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {} from '../../config/settings';
import type { Order } from '../../domain/order';
import type { OrderResult } from '../../domain/status';
import { waitFor } from '../plumbing/wait-for';
import { isLambdaIdentity } from '../../client/describe-worker';
import { sampleOrder } from '../../client/sample-order';
import type { BenchStack } from './bench-stack';
import {
  BENCH_MEMORY_MB,
  buildForDeployment,
  deployBenchFunction,
  registerBenchFunction,
  startBenchWorker,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { describeWaste, wasteOf, type WasteFigures } from './invocation-waste';
import { median, round } from './stats';
import { benchName } from './versioned-worker';
import { startOrder } from '../../client/start-order';

const SLOW_STEP_MS = 4_000;
/** How far into the slow step the worker dies. */
const KILL_AFTER_MS = 1_000;

export interface FailoverResult {
  slowStepMs: number;
  /** Simulated work left in the slow step when the worker died. */
  remainingWorkMs: number;
  killToCompleteMs: number[];
  beyondRemainingWorkMs: number[];
  medianKillToCompleteMs: number;
  medianBeyondRemainingWorkMs: number;
  /** The Lambda invocations of all repetitions (not the registration's): useful, wasted, billed. */
  waste?: WasteFigures;
}

export async function measureFailover(
  stack: BenchStack,
  reps: number,
  memoryMb: number = BENCH_MEMORY_MB,
): Promise<FailoverResult> {
  const deploymentName = benchName('bench-failover');
  const journal = path.join(stack.workDir, `${deploymentName}.journal.jsonl`);
  const functionName = deploymentName;
  const zipFile = await buildForDeployment(stack, deploymentName, undefined, { memoryMb });
  const functionArn = await deployBenchFunction(stack, {
    functionName,
    zipFile,
    environment: { SHOPFLOW_LATENCY_SCALE: '0', SHOPFLOW_JOURNAL: journal },
    memoryMb,
  });
  await registerBenchFunction(stack, deploymentName, functionArn);
  const repsStart = Date.now();

  const killToCompleteMs: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const lines: string[] = [];
    const worker = await startBenchWorker(
      stack,
      deploymentName,
      { SHOPFLOW_JOURNAL: journal, SHOPFLOW_LATENCY_SCALE: '0' },
      lines,
    );
    const order: Order = {
      ...sampleOrder(benchName('failover'), 'happy', rep),
      faults: { slowStep: { step: 'createShipment', durationMs: SLOW_STEP_MS } },
    };
    const handle = await startOrder(stack.client, order);
    await waitFor(() => lines.some((l) => /createShipment started/.test(l)), {
      timeoutMs: 30_000,
      what: 'createShipment to start on the local worker',
    });
    await sleep(KILL_AFTER_MS);
    const killedAt = Date.now();
    worker.kill('SIGKILL');
    const result = (await handle.result()) as OrderResult;
    const elapsed = Date.now() - killedAt;
    const shipment = result.status.steps.find((s) => s.step === 'createShipment');
    if (!shipment || !isLambdaIdentity(shipment.worker)) {
      throw new Error(
        `failover rep ${rep + 1}: createShipment was run by ${shipment?.worker ?? 'nobody'}, not by the Lambda`,
      );
    }
    killToCompleteMs.push(elapsed);
    stack.log(
      `  rep ${rep + 1}/${reps}: SIGKILL ${KILL_AFTER_MS} ms into a ${SLOW_STEP_MS} ms step -> completed on the Lambda ${elapsed} ms later`,
    );
    // The next repetition must start on a local worker again, not on a still-polling Lambda.
    await waitUntilNoInvocationRuns(stack, [functionName], 60_000);
  }
  const remainingWorkMs = SLOW_STEP_MS - KILL_AFTER_MS;
  const beyond = killToCompleteMs.map((ms) => ms - remainingWorkMs);
  const waste = wasteOf(stack.lambda.metrics.invocationsOf(functionName).filter((i) => i.startedAt >= repsStart));
  stack.log(`  Lambda: ${describeWaste(waste)}`);
  return {
    waste,
    slowStepMs: SLOW_STEP_MS,
    remainingWorkMs,
    killToCompleteMs,
    beyondRemainingWorkMs: beyond,
    medianKillToCompleteMs: round(median(killToCompleteMs), 0),
    medianBeyondRemainingWorkMs: round(median(beyond), 0),
  };
}
