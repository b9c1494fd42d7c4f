/**
 * Setting up a chaos run: the plan from the seed, then the stack it runs on (the ledger, a dev server on a database
 * file so history survives its restart, the local Lambda service) and a local worker and client.
 */

import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { freePort } from '../plumbing/ports';
import { localTemporalEnvironment } from '../devstack/local-worker-process';
import { startRunLedger } from '../devstack/run-ledger';
import { startServerlessStack } from '../devstack/serverless-stack';
import type { Stage } from '../devstack/stage';
import type { ChaosArgs } from './chaos-args';
import type { ChaosRun } from './chaos-run';
import { LAMBDA_FUNCTION_NAME } from '../../config/settings';
import { planChaos, type ChaosEvent } from './chaos-schedule';
import { noLedgerFaults } from './ledger-faults';
import { LocalWorker } from './local-worker';
import { noOutsideCancellations } from './outside-cancellations';
import { planOrders, submissionWindowMs } from './order-plan';
import { seededRandom } from './random';

/** After the submission window, orders get this long to finish before the unfinished ones count as lost. */
const FINISH_ALLOWANCE_MS = 240_000;
/** On DynamoDB, this share of the workers' writes commit and then lose their reply (a cut connection or a 500). */
const AMBIGUOUS_WRITE_SHARE = 0.05;

export async function setUpChaos(
  args: ChaosArgs,
  stage: Stage,
  settings: { dir: string; latencyScale: string },
): Promise<ChaosRun> {
  const startedAt = Date.now();
  const timeline: ChaosRun['timeline'] = [];
  const { log, record } = runLog(startedAt, timeline);
  const { dir, latencyScale } = settings;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const journalPath = path.join(dir, 'journal.jsonl');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const plan = planRun(args, log);
  const { ledger, stack } = await startStack(args, stage, { dir, journalPath, latencyScale, log });
  const address = stack.server.address;
  const workerEnv = localTemporalEnvironment(address, 'default', {
    SHOPFLOW_JOURNAL: journalPath,
    SHOPFLOW_LATENCY_SCALE: latencyScale,
    ...ledger.env,
  });
  const worker = new LocalWorker(stage, workerEnv, path.join(dir, 'worker.log'), log, () => Date.now());
  record(`local worker up (pid ${await worker.start()})`);
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
  stage.own('client', () => client.connection.close());

  const goAt = Date.now();
  return {
    args,
    startedAt,
    log,
    record,
    timeline,
    ...plan,
    byWorkflow: new Map(plan.planned.map((p) => [p.workflowId, p])),
    latencyScale,
    ledger,
    stack,
    worker,
    client,
    counts: {
      workerKills: 0,
      lambdaCrashes: 0,
      serverRestarts: 0,
      strikesHeld: 0,
      strikesSkipped: 0,
      unexpectedWorkerExits: 0,
    },
    ledgerFaults: noLedgerFaults(),
    tornFragments: [],
    cancellations: noOutsideCancellations(),
    settled: plan.planned.map(() => undefined),
    submitted: new Set(),
    goAt,
    deadline: goAt + plan.windowMs + FINISH_ALLOWANCE_MS,
    allSettled: false,
  };
}

/** The run's log lines (seconds since the start) and its timeline of what chaos did. */
function runLog(startedAt: number, timeline: ChaosRun['timeline']) {
  const log = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const record = (what: string) => {
    timeline.push({ atS: Math.round((Date.now() - startedAt) / 100) / 10, what });
    log(what);
  };
  return { log, record };
}

/** The seed's orders and strikes, said before anything starts. */
function planRun(args: ChaosArgs, log: (line: string) => void) {
  const random = seededRandom(args.seed);
  const windowMs = submissionWindowMs(args.orders);
  const planned = planOrders(random, args.orders, `chaos-s${args.seed}`);
  const events = planChaos(random, windowMs, args.ledger);
  const count = (kind: ChaosEvent['kind']) => events.filter((e) => e.kind === kind).length;
  log(
    `seed ${args.seed}: ${args.orders} orders over ${windowMs / 1000} s, ${planned.filter((p) => p.injected).length} ` +
      `with extra faults; planned ${count('kill-worker')} worker kills, ${count('crash-lambda')} Lambda crashes, ` +
      `${count('restart-server')} server restart, ${count('tear-journal-line')} torn journal lines, ` +
      `${count('stall-lock-holder')} frozen lock holders, ${planned.filter((p) => p.cancelAfterMs).length} outside ` +
      'cancellations',
  );
  return { random, windowMs, planned, events };
}

/** The run ledger (journal or DynamoDB) and the serverless stack (dev server, local Lambda, the function). */
async function startStack(
  args: ChaosArgs,
  stage: Stage,
  where: { dir: string; journalPath: string; latencyScale: string; log: (line: string) => void },
) {
  const { dir, journalPath, latencyScale, log } = where;
  const own = (name: string, stop: () => Promise<void> | void) => stage.own(name, stop);
  const ledger = await startRunLedger(args.ledger, {
    dir,
    own,
    step: (line) => log(`setup: ${line}`),
    ambiguousWrites: { share: AMBIGUOUS_WRITE_SHARE, random: seededRandom(args.seed + 1) },
  });
  const stack = await startServerlessStack({
    dir,
    functionName: LAMBDA_FUNCTION_NAME,
    journalPath,
    own,
    step: (line) => log(`setup: ${line}`),
    choosePort: () => freePort(),
    dbFile: path.join(dir, 'temporal.db'),
    // Two cores: a few Lambda environments at once are plenty; more events wait in the queue, as on Lambda.
    lambdaService: { accountConcurrency: 4 },
    functionEnvironment: { SHOPFLOW_LATENCY_SCALE: latencyScale, ...ledger.functionEnv },
    identity: 'shopflow-chaos',
  });
  return { ledger, stack };
}
