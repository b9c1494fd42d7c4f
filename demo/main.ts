/**
 * `npm run demo`: the ShopFlow serverless demo, narrated, on one machine with no cloud account.
 * Act 1 builds and deploys the Lambda package and starts everything; act 2 runs orders on the local worker and
 * kills it mid-order; act 3 watches Temporal's worker controller invoke the Lambda, which finishes the orders;
 * act 4 shows the invocations falling to zero. Everything it starts is stopped at the end, also on Ctrl+C.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Client, Connection, WorkflowIdReusePolicy } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ORDER_WORKFLOW_TYPE, TASK_QUEUE, orderWorkflowId } from '../config/settings';
import { unexpectedEnding } from '../domain/scenarios';
import { readLambdaMetrics } from '../scripts/lib/lambda-metrics';
import { renderMetricsChart } from '../scripts/lib/metrics-chart';
import { DATA_DIR } from '../scripts/lib/project-paths';
import { startRunLedger } from '../scripts/lib/run-ledger';
import { startServerlessStack } from '../scripts/lib/serverless-stack';
import { describeWorker, isLambdaIdentity } from '../starter/describe-worker';
import { followOrder, type FollowedOrder } from '../starter/follow-order';
import { newOrderId, sampleOrder } from '../starter/sample-order';
import { workflowUrl } from '../starter/web-ui';
import { DEMO_USAGE, parseDemoArgs, type DemoArgs } from './demo-args';
import { Narrator } from './narrator';
import { runOnStage, type Stage } from './stage';

const FUNCTION_NAME = 'shopflow-worker';
const METRICS_PERIOD_S = 10;

async function runDemo(args: DemoArgs, stage: Stage): Promise<number> {
  const narrator = new Narrator(args.interactive);
  const started = Date.now();
  const demoDir = path.join(DATA_DIR, 'demo');
  fs.rmSync(demoDir, { recursive: true, force: true });
  fs.mkdirSync(demoDir, { recursive: true });
  const journalPath = path.join(demoDir, 'journal.jsonl');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  await narrator.beginAct('the stage', 'A real Temporal dev server, a local Lambda service that runs the very zip we would upload to AWS, and a local worker.');
  const ledger = await startRunLedger(args.ledger, { dir: demoDir, own: (name, stop) => stage.own(name, stop), step: (line) => narrator.step(line) });
  const { lambda, server, busyEnvironments: busy } = await startServerlessStack({
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

  let workerReady!: () => void;
  const ready = new Promise<void>((resolve) => (workerReady = resolve));
  const workerLines: string[] = [];
  const worker = stage.startProcess('worker/main.ts', [], { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', SHOPFLOW_JOURNAL: journalPath, TEMPORAL_PROFILE: '', ...ledger.env }, (line) => {
    workerLines.push(line);
    if (/Waiting for orders/.test(line)) workerReady();
    if (/ started |done/.test(line)) narrator.say(`[local worker] ${line.replace(/\s+workflowId=\S+/, '')}`);
  });
  await Promise.race([ready, new Promise((_, reject) => worker.once('exit', () => reject(new Error(`the local worker exited:\n${workerLines.join('\n')}`))))]);
  narrator.step(`local worker running (pid ${worker.pid})`);

  await narrator.beginAct('orders on the local worker', `Submitting ${args.orders} "${args.scenario}" order(s). Each step shows the worker that ran it.`);
  const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: 'default' });
  stage.own('client', () => client.connection.close());
  const handles = [];
  for (let i = 0; i < args.orders; i++) {
    const order = sampleOrder(args.orders === 1 ? newOrderId() : `${newOrderId()}-${i + 1}`, args.scenario, i);
    const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, { taskQueue: TASK_QUEUE, workflowId: orderWorkflowId(order.orderId), args: [order], workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE });
    handles.push(handle);
    narrator.step(`${order.orderId}: ${workflowUrl(server.uiUrl!, 'default', handle.workflowId)}`);
  }
  const outcomes = Promise.all(handles.map((h) => followOrder(client, h, (line) => narrator.say(`[${h.workflowId}] ${line}`))));

  const killPoint = args.scenario === 'slow' ? /createShipment started/ : /reserveInventory done/;
  for (let i = 0; i < 600 && !workerLines.some((l) => killPoint.test(l)); i++) await sleep(100);
  await sleep(args.scenario === 'slow' ? 2_000 : 0);
  await narrator.beginAct(
    'the local worker dies',
    args.kill === 'SIGKILL'
      ? 'SIGKILL: no goodbye. Its activity stops heartbeating; within 5 s Temporal times the attempt out and retries it. No worker polls the queue, so the worker controller invokes the Lambda.'
      : 'Ctrl+C: the worker drains, cancelling what it cannot finish; Temporal retries that work, and with no poller left the worker controller invokes the Lambda.',
  );
  const killedAt = Date.now();
  worker.kill(args.kill);
  narrator.step(`local worker pid ${worker.pid} sent ${args.kill} at ${new Date(killedAt).toISOString().slice(11, 19)}`);

  const results: FollowedOrder[] = await outcomes;
  const finishedAt = Date.now();
  narrator.step(`all orders finished ${((finishedAt - killedAt) / 1000).toFixed(1)} s after the kill`);

  await narrator.beginAct('scale to zero', `The Lambda worker exits after 5 s without work. No work, no invocations, nothing billed: invocations per ${METRICS_PERIOD_S} s from the local service's CloudWatch API.`);
  const cloudwatch = new CloudWatchClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  stage.own('CloudWatch client', () => cloudwatch.destroy());
  for (let i = 0; i < 300 && busy() > 0; i++) await sleep(200);
  const lastEnded = Date.now();
  // Wait until one whole bucket has passed with nothing running, so the chart ends on a zero.
  await sleep(Math.max(0, (Math.floor(lastEnded / (METRICS_PERIOD_S * 1000)) + 2) * METRICS_PERIOD_S * 1000 - Date.now() + 500));
  const minutes = Math.max(1, Math.ceil((Date.now() - started) / 60_000));
  const rows = await readLambdaMetrics(cloudwatch, FUNCTION_NAME, minutes, METRICS_PERIOD_S);
  console.log(`\n${renderMetricsChart(FUNCTION_NAME, rows, METRICS_PERIOD_S)}`);

  const window = { start: started - 60_000, end: Date.now() + 1_000 };
  const sum = (metric: 'Invocations' | 'BilledGBSeconds' | 'ColdStarts') =>
    lambda.metrics.series(FUNCTION_NAME, metric, 'Sum', window.start, window.end, 3600).values.reduce((a, b) => a + b, 0);
  const effects = await ledger.read();
  const duplicateKeys = effects.length - new Set(effects.map((e) => e.key)).size;
  console.log('\n━━ Summary ━━');
  let unexpected = 0;
  for (const outcome of results) {
    const steps = outcome.result?.status.steps ?? [];
    const mismatch = unexpectedEnding(args.scenario, { state: outcome.state, failureType: outcome.failure?.type });
    if (mismatch) unexpected++;
    console.log(`${outcome.workflowId}: ${outcome.state}${mismatch ? ` (UNEXPECTED: ${mismatch})` : ''}`);
    for (const step of steps) console.log(`   ${step.step.padEnd(17)} ${describeWorker(step.worker)}${step.attempt && step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`);
  }
  const lambdaSteps = results.flatMap((r) => r.result?.status.steps ?? []).filter((s) => isLambdaIdentity(s.worker)).length;
  console.log(`Steps run by the Lambda: ${lambdaSteps}; Lambda invocations: ${sum('Invocations')} (${sum('ColdStarts')} cold); billed ${sum('BilledGBSeconds').toFixed(1)} GB-s`);
  console.log(`Effects in the ${ledger.description}: ${effects.length}, each exactly once (${duplicateKeys} duplicates). Demo took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  console.log(`DEMO RESULT ${JSON.stringify({ ledger: args.ledger, orders: results.map((r) => r.state), lambdaSteps, invocations: sum('Invocations'), killToDoneMs: finishedAt - killedAt, duplicateKeys, lastBucketInvocations: rows[rows.length - 1]?.invocations ?? -1 })}`);
  return unexpected === 0 && lambdaSteps > 0 && duplicateKeys === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`demo: ${(err as Error).message}\n\n${DEMO_USAGE}`);
    process.exit(2);
  }
  if (args.help) return console.log(DEMO_USAGE);
  await runOnStage({ name: 'demo', what: 'the demo' }, (stage) => runDemo(args, stage));
}

void main();
