/**
 * The demo's four acts. Act 1 builds and deploys the Lambda package and starts everything; act 2 runs orders on the
 * local worker; act 3 kills it and watches Temporal's worker controller invoke the Lambda, which finishes the work;
 * act 4 shows the invocations falling to zero. The story holds at any presenter's pace: when the orders all ended on
 * the local worker before the kill (a long pause at act 3), fresh orders go in after the kill, with no local worker up,
 * so the Lambda always has work to show.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readLambdaMetrics } from '../deployment/lambda-metrics';
import { renderMetricsChart } from '../deployment/metrics-chart';
import { localAwsClient } from '../devstack/local-aws-clients';
import { DATA_DIR } from '../devstack/project-paths';
import { startRunLedger } from '../devstack/run-ledger';
import { startServerlessStack } from '../devstack/serverless-stack';
import { waitFor } from '../devstack/wait-for';
import type { DemoArgs } from './demo-args';
import { printSummary } from './demo-summary';
import { killPointReached, startDemoWorker, type DemoWorker } from './demo-worker';
import { startDemoConsole } from './presenter-console';
import { submitWave, type Wave } from './order-wave';
import { Narrator } from './narrator';
import { redeployAct } from './redeploy-act';
import type { Stage } from '../devstack/stage';
import { demoProblems, lambdaWork } from './verdict';

const FUNCTION_NAME = 'shopflow-worker';
const METRICS_PERIOD_S = 10;

export async function runDemo(
  args: DemoArgs,
  stage: Stage,
  narrator = new Narrator(args.interactive),
): Promise<number> {
  const started = Date.now();
  const demoDir = path.join(DATA_DIR, 'demo');
  fs.rmSync(demoDir, { recursive: true, force: true });
  fs.mkdirSync(demoDir, { recursive: true });
  const journalPath = path.join(demoDir, 'journal.jsonl');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  // Act 1: the stage.
  await narrator.beginAct(
    'the stage',
    'A real Temporal dev server, a local Lambda service that runs the very zip we would upload to AWS, and a local worker.',
  );
  const ledger = await startRunLedger(args.ledger, {
    dir: demoDir,
    own: (name, stop) => stage.own(name, stop),
    step: (line) => narrator.step(line),
  });
  const { lambda, server, busyEnvironments, version } = await startServerlessStack({
    dir: demoDir,
    functionName: FUNCTION_NAME,
    journalPath,
    own: (name, stop) => stage.own(name, stop),
    step: (line) => narrator.step(line),
    lambdaNarrate: (line) => narrator.say(`[Lambda service] ${line}`),
    ui: true,
    identity: 'shopflow-demo',
    functionEnvironment: ledger.env,
  });
  const workerLines: string[] = [];
  const presenter = await startDemoConsole(stage, narrator, {
    address: server.address,
    lambdaEndpoint: lambda.endpoint,
    functionName: FUNCTION_NAME,
    webUi: server.uiUrl,
    workerEnv: { SHOPFLOW_JOURNAL: journalPath, ...ledger.env },
    onWorkerLine: (line) => {
      workerLines.push(line);
      if (/ started |done/.test(line)) narrator.say(`[local worker] ${line.replace(/\s+workflowId=\S+/, '')}`);
    },
  });
  const worker = await startDemoWorker(presenter.worker!, workerLines);
  narrator.step(`local worker running (pid ${worker.pid})`);
  narrator.step(`Presenter console: ${presenter.url}  (open it on the projector: orders, workers, invocations, cost)`);
  const client = new Client({
    connection: await Connection.connect({ address: server.address }),
    namespace: 'default',
  });
  stage.own('client', () => client.connection.close());
  const wave = (label: string) =>
    submitWave(client, { scenario: args.scenario, count: args.orders, label, uiUrl: server.uiUrl! }, narrator);

  // Act 2: orders on the local worker.
  await narrator.beginAct(
    'orders on the local worker',
    `Submitting ${args.orders} "${args.scenario}" order(s). Each step shows the worker that ran it.`,
  );
  const first = await wave('');
  await waitForKillPoint(worker, first, args);

  // Act 3: the local worker dies; the Lambda takes over.
  await narrator.beginAct(
    'the local worker dies',
    args.kill === 'SIGKILL'
      ? 'SIGKILL: no goodbye. Its activity stops heartbeating; within 5 s Temporal times the attempt out and retries it. No worker polls the queue, so the worker controller invokes the Lambda.'
      : 'Ctrl+C: the worker drains, cancelling what it cannot finish; Temporal retries that work, and with no poller left the worker controller invokes the Lambda.',
  );
  const killedAt = Date.now();
  const workerGone = worker.stop(args.kill); // SIGINT drains for up to 10 s: the story goes on meanwhile
  narrator.step(
    `local worker pid ${worker.pid} sent ${args.kill} at ${new Date(killedAt).toISOString().slice(11, 19)}`,
  );
  const openAtKill = first.openCount();
  const orders = await first.ended;
  await workerGone;
  narrator.step(
    `${openAtKill} of ${orders.length} order(s) were still in flight at the kill; all ended ${((Date.now() - killedAt) / 1000).toFixed(1)} s after it`,
  );
  if (lambdaWork(orders) === 0) {
    // The presenter talked longer than the orders took: they all ended on the local worker. Run the starter again,
    // as one does live: with no local worker up, every step of these orders runs on the Lambda.
    narrator.say(
      `The orders ended on the local worker before the kill, so the Lambda had nothing to finish. Submitting ${args.orders} fresh order(s) now, with no local worker running: Temporal invokes the Lambda for them.`,
    );
    const second = await wave('after the kill');
    orders.push(...(await second.ended));
  }
  const finishedAt = Date.now();

  // Act 4: scale to zero.
  await narrator.beginAct(
    'scale to zero',
    `The Lambda worker exits after 5 s without work. No work, no invocations, nothing billed: invocations per ${METRICS_PERIOD_S} s from the local service's CloudWatch API.`,
  );
  const cloudwatch = localAwsClient(CloudWatchClient, lambda.endpoint);
  stage.own('CloudWatch client', () => cloudwatch.destroy());
  await waitFor(() => busyEnvironments() === 0, {
    timeoutMs: 120_000,
    what: 'the Lambda invocations to end',
    intervalMs: 200,
  });
  // Wait until one whole bucket has passed with nothing running, so the chart ends on a zero.
  const bucketMs = METRICS_PERIOD_S * 1000;
  await sleep(Math.max(0, (Math.floor(Date.now() / bucketMs) + 2) * bucketMs - Date.now() + 500));
  const minutes = Math.max(1, Math.ceil((Date.now() - started) / 60_000));
  const rows = await readLambdaMetrics(cloudwatch, FUNCTION_NAME, minutes, METRICS_PERIOD_S);
  console.log(`\n${renderMetricsChart(FUNCTION_NAME, rows, METRICS_PERIOD_S)}`);

  const window = { start: started - 60_000, end: Date.now() + 1_000 };
  const sum = (metric: 'Invocations' | 'BilledGBSeconds' | 'ColdStarts') =>
    lambda.metrics
      .series(FUNCTION_NAME, metric, 'Sum', window.start, window.end, 3600)
      .values.reduce((a, b) => a + b, 0);
  const effects = await ledger.read();
  const duplicateKeys = effects.length - new Set(effects.map((e) => e.key)).size;
  const problems = demoProblems({ scenario: args.scenario, orders, duplicateKeys });
  printSummary({
    orders,
    scenario: args.scenario,
    effects: effects.length,
    ledger: ledger.description,
    duplicateKeys,
    tookMs: Date.now() - started,
    invocations: sum('Invocations'),
    coldStarts: sum('ColdStarts'),
    billedGbSeconds: sum('BilledGBSeconds'),
  });
  console.log(
    `DEMO RESULT ${JSON.stringify({ ledger: args.ledger, orders: orders.map((r) => r.state), lambdaSteps: lambdaWork(orders), invocations: sum('Invocations'), killToDoneMs: finishedAt - killedAt, duplicateKeys, lastBucketInvocations: rows[rows.length - 1]?.invocations ?? -1 })}`,
  );
  if (args.redeploy) {
    const input = {
      client,
      stage,
      narrator,
      demoDir,
      functionName: FUNCTION_NAME,
      lambdaEndpoint: lambda.endpoint,
      serverAddress: server.address,
      redeploys: presenter.redeploys,
    };
    problems.push(
      ...(await redeployAct({ ...input, uiUrl: server.uiUrl!, version, orders: args.orders, busyEnvironments })),
    );
  }
  for (const problem of problems) console.log(`DEMO PROBLEM: ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

/**
 * Waits until the local worker is in the middle of the story's work: the slow shipment under way (2 s in), or the
 * first step done for the other scenarios. An order that ends sooner (out of stock fails at its first step) ends the
 * wait too; a worker that never gets there is an error that says so.
 */
async function waitForKillPoint(worker: DemoWorker, wave: Wave, args: DemoArgs): Promise<void> {
  const slow = args.scenario === 'slow';
  await waitFor(() => killPointReached(worker.lines, slow) || wave.openCount() === 0, {
    timeoutMs: 60_000,
    what: slow ? 'the local worker to start createShipment' : 'the local worker to finish reserveInventory',
    intervalMs: 100,
  });
  if (slow) await sleep(2_000);
}
