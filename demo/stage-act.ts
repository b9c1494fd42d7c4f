/**
 * Act 1, the stage: a real Temporal dev server, the local Lambda service running the very zip one would upload to
 * AWS (deployed and registered), the ledger every worker shares, the presenter console and the local worker.
 */

import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DATA_DIR } from '../machinery/plumbing/project-paths';
import { startRunLedger } from '../machinery/devstack/run-ledger';
import { startServerlessStack } from '../machinery/devstack/serverless-stack';
import type { Stage } from '../machinery/devstack/stage';
import type { DemoArgs } from './demo-args';
import type { DemoScene } from './demo-scene';
import { LAMBDA_FUNCTION_NAME } from '../config/settings';
import { startDemoWorker } from './demo-worker';
import type { Narrator } from './narrator';
import { submitWave } from './order-wave';
import { startDemoConsole } from './presenter-console';

export async function stageAct(args: DemoArgs, stage: Stage, narrator: Narrator): Promise<DemoScene> {
  const startedAt = Date.now();
  const demoDir = path.join(DATA_DIR, 'demo');
  fs.rmSync(demoDir, { recursive: true, force: true });
  fs.mkdirSync(demoDir, { recursive: true });
  const journalPath = path.join(demoDir, 'journal.jsonl');

  await narrator.beginAct(
    'the stage',
    'A real Temporal dev server, a local Lambda service that runs the very zip we would upload to AWS, and a local worker.',
  );
  const own = (name: string, stop: () => Promise<void> | void) => stage.own(name, stop);
  const ledger = await startRunLedger(args.ledger, { dir: demoDir, own, step: (line) => narrator.step(line) });
  const stack = await startServerlessStack({
    dir: demoDir,
    functionName: LAMBDA_FUNCTION_NAME,
    journalPath,
    own,
    step: (line) => narrator.step(line),
    lambdaNarrate: (line) => narrator.say(`[Lambda service] ${line}`),
    ui: true,
    identity: 'shopflow-demo',
    functionEnvironment: ledger.functionEnv,
  });
  const workerLines: string[] = [];
  const presenter = await startDemoConsole(stage, narrator, {
    address: stack.server.address,
    lambdaEndpoint: stack.lambda.endpoint,
    functionName: LAMBDA_FUNCTION_NAME,
    webUi: stack.server.uiUrl,
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
    connection: await Connection.connect({ address: stack.server.address }),
    namespace: 'default',
  });
  own('client', () => client.connection.close());
  const uiUrl = stack.server.uiUrl!;
  return {
    args,
    stage,
    narrator,
    startedAt,
    demoDir,
    ledger,
    stack,
    presenter,
    worker,
    client,
    wave: (label) => submitWave(client, { scenario: args.scenario, count: args.orders, label, uiUrl }, narrator),
  };
}
