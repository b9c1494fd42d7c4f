/**
 * Watching wakes no worker: with a Lambda registered and no worker up, how many invocations does an observer cause?
 * ShopFlow's observers (the presenter console with a page connected, reading history, describe and CloudWatch) over
 * an idle window, beside the baseline in the same run: a `getStatus` query on the same completed order, which is a
 * worker task and so makes the worker controller invoke the function just to answer it.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { loadConnectionConfig } from '../../config/connection';
import { localTemporalEnvironment } from '../devstack/local-worker-process';
import { startConsole } from '../../console/start-console';
import { sampleOrder } from '../../client/sample-order';
import { getStatusQuery } from '../../workflows/definitions';
import { billedGBSeconds } from '../lambda-local/metrics';
import type { BenchStack } from './bench-stack';
import {
  buildForDeployment,
  deployBenchFunction,
  registerBenchFunction,
  startBenchWorker,
  waitUntilNoInvocationRuns,
} from './bench-functions';
import { benchName } from './versioned-worker';
import { startOrder } from '../../client/start-order';

export interface WatchingResult {
  /** How long the console watched, with a page (an SSE client) connected. */
  watchSeconds: number;
  /** Invocations while the console watched the completed order: the target is 0. */
  consoleInvocations: number;
  /** Invocations caused by one getStatus query on the same order, no worker up (the baseline). */
  queryInvocations: number;
  queryBilledGBSeconds: number;
}

export async function measureWatching(stack: BenchStack, watchSeconds: number): Promise<WatchingResult> {
  const deploymentName = benchName('bench-watch');
  const functionName = deploymentName;
  const zipFile = await buildForDeployment(stack, deploymentName);
  const functionArn = await deployBenchFunction(stack, {
    functionName,
    zipFile,
    environment: { SHOPFLOW_LATENCY_SCALE: '0' },
  });
  await registerBenchFunction(stack, deploymentName, functionArn);

  // One order, completed on a local worker that then goes away: nothing is left for any worker to do.
  const worker = await startBenchWorker(stack, deploymentName, { SHOPFLOW_LATENCY_SCALE: '0' });
  const order = sampleOrder(benchName('watch'), 'happy', 0);
  const handle = await startOrder(stack.client, order);
  await handle.result();
  await worker.stop('SIGKILL');
  await waitUntilNoInvocationRuns(stack, [functionName], 60_000);
  const invocations = () => stack.lambda.metrics.invocationsOf(functionName).length;

  // ShopFlow's observer: the console, with a page connected to its event stream, for the whole window.
  const before = invocations();
  const temporal = loadConnectionConfig({ ...process.env, ...localTemporalEnvironment(stack.address) });
  const running = await startConsole({
    mode: 'local',
    port: 0,
    temporal,
    awsEndpoint: stack.lambda.endpoint,
    functionName,
    ordersSince: new Date(Date.now() - 10 * 60_000),
  });
  const page = new AbortController();
  const events = await fetch(`${running.url}/events`, { signal: page.signal });
  const reading = (async () => {
    const reader = events.body!.getReader();
    for (;;) if ((await reader.read()).done) return;
  })().catch(() => undefined);
  stack.log(
    `  console ${running.url} watching ${order.orderId} with a page connected, ${watchSeconds} s, no worker up...`,
  );
  await sleep(watchSeconds * 1000);
  page.abort();
  await reading;
  await running.close();
  const consoleInvocations = invocations() - before;

  // The baseline: one query, answered only once the controller has invoked a Lambda to run the query task.
  const beforeQuery = stack.lambda.metrics.invocationsOf(functionName).length;
  await handle.query(getStatusQuery);
  await waitUntilNoInvocationRuns(stack, [functionName], 60_000);
  const caused = stack.lambda.metrics.invocationsOf(functionName).slice(beforeQuery);
  const queryBilledGBSeconds = caused.reduce((sum, i) => sum + billedGBSeconds(i), 0);
  stack.log(
    `  watching: ${consoleInvocations} invocation(s) in ${watchSeconds} s; one getStatus query: ${caused.length} invocation(s), ${queryBilledGBSeconds.toFixed(1)} GB-s`,
  );
  return {
    watchSeconds,
    consoleInvocations,
    queryInvocations: caused.length,
    queryBilledGBSeconds: Math.round(queryBilledGBSeconds * 10) / 10,
  };
}
