/**
 * One chaos run: stands up the serverless stack (dev server on a database file so history survives its restart),
 * a local worker, submits the planned orders over the window while the chaos plan breaks things, waits for every
 * order, then checks the invariants from the journal and the orders' results.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Stage } from '../devstack/stage';
import { unexpectedEnding } from '../domain/scenarios';
import { freePort } from '../devstack/ports';
import { DATA_DIR } from '../devstack/project-paths';
import { startRunLedger } from '../devstack/run-ledger';
import { startServerlessStack } from '../devstack/serverless-stack';
import { isLambdaIdentity } from '../starter/describe-worker';
import { pendingSteps, stepsAtRisk } from './attempt-guard';
import type { ChaosArgs } from './chaos-args';
import { planChaos, type ChaosEvent } from './chaos-schedule';
import { checkInvariants, type OrderOutcome, type Violation } from './invariants';
import { LocalWorker } from './local-worker';
import { awaitOrder, submitOrder, type SettledOrder } from './order-outcome';
import { failingAttempts, planOrders, probeOrder, submissionWindowMs, type PlannedOrder } from './order-plan';
import { seededRandom } from './random';
import { checkReconnection, firstEffectAfter, type RestartRecord } from './reconnection';
import { countEffects, countOutcomes, countSteps, printResult, type ChaosCounts, type ChaosResult } from './report';

export const CHAOS_DIR = path.join(DATA_DIR, 'chaos');
const FUNCTION_NAME = 'shopflow-worker';
/** Simulated services 5 times faster than realistic, so a run is quick (the `slow` shipment: see order-plan.ts). */
const LATENCY_SCALE = process.env.SHOPFLOW_LATENCY_SCALE?.trim() || '0.2';
/** After the submission window, orders get this long to finish before the unfinished ones count as lost. */
const FINISH_ALLOWANCE_MS = 240_000;
/** A strike held back this long (an attempt near its retry limit kept being in flight) is skipped. */
const HOLD_LIMIT_MS = 30_000;
/** How long a Lambda crash waits for an environment to be busy. */
const LAMBDA_BUSY_WAIT_MS = 8_000;
const PROGRESS_EVERY_MS = 10_000;
/** Stopping the dev server (5 s before it is SIGKILLed) and starting it again takes a few seconds. */
const SERVER_RESTART_LIMIT_MS = 90_000;
/** How long the run waits for the local worker to work again after the server restart. */
const RECONNECT_WAIT_MS = 40_000;
/** How long the final probe order may take on the Lambda alone (cold start included). */
const PROBE_DEADLINE_MS = 120_000;

/** Rejects when `promise` takes longer than `ms`: a hung restart fails the run instead of hanging it. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export async function runChaos(args: ChaosArgs, stage: Stage): Promise<number> {
  const startedAt = Date.now();
  const timeline: ChaosResult['timeline'] = [];
  const log = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const record = (what: string) => {
    timeline.push({ atS: Math.round((Date.now() - startedAt) / 100) / 10, what });
    log(what);
  };
  fs.rmSync(CHAOS_DIR, { recursive: true, force: true });
  fs.mkdirSync(CHAOS_DIR, { recursive: true });
  const journalPath = path.join(CHAOS_DIR, 'journal.jsonl');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const random = seededRandom(args.seed);
  const windowMs = submissionWindowMs(args.orders);
  const planned = planOrders(random, args.orders, `chaos-s${args.seed}`);
  const events = planChaos(random, windowMs);
  const byWorkflow = new Map(planned.map((p) => [p.workflowId, p]));
  const count = (kind: ChaosEvent['kind']) => events.filter((e) => e.kind === kind).length;
  log(
    `seed ${args.seed}: ${args.orders} orders over ${windowMs / 1000} s, ${planned.filter((p) => p.injected).length} with extra faults; planned ${count('kill-worker')} worker kills, ${count('crash-lambda')} Lambda crashes, ${count('restart-server')} server restart`,
  );

  const ledger = await startRunLedger(args.ledger, {
    dir: CHAOS_DIR,
    own: (name, stop) => stage.own(name, stop),
    step: (line) => log(`setup: ${line}`),
  });
  const stack = await startServerlessStack({
    dir: CHAOS_DIR,
    functionName: FUNCTION_NAME,
    journalPath,
    own: (name, stop) => stage.own(name, stop),
    step: (line) => log(`setup: ${line}`),
    choosePort: () => freePort(),
    dbFile: path.join(CHAOS_DIR, 'temporal.db'),
    // Two cores: a few Lambda environments at once are plenty; more events wait in the queue, as on Lambda.
    lambdaService: { accountConcurrency: 4 },
    functionEnvironment: { SHOPFLOW_LATENCY_SCALE: LATENCY_SCALE, ...ledger.env },
    identity: 'shopflow-chaos',
  });
  const address = stack.server.address;
  const workerEnv = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_PROFILE: '',
    SHOPFLOW_JOURNAL: journalPath,
    SHOPFLOW_LATENCY_SCALE: LATENCY_SCALE,
    ...ledger.env,
  };
  const worker = new LocalWorker(stage, workerEnv, path.join(CHAOS_DIR, 'worker.log'), log, () => Date.now());
  record(`local worker up (pid ${await worker.start()})`);
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
  stage.own('client', () => client.connection.close());

  const counts: ChaosCounts = {
    workerKills: 0,
    lambdaCrashes: 0,
    serverRestarts: 0,
    strikesHeld: 0,
    strikesSkipped: 0,
    unexpectedWorkerExits: 0,
  };
  const settled: (SettledOrder | undefined)[] = planned.map(() => undefined);
  const submitted = new Set<string>();
  let restart: RestartRecord | undefined;
  let allSettled = false;
  const goAt = Date.now();
  const deadline = goAt + windowMs + FINISH_ALLOWANCE_MS;

  const runOrder = async (p: PlannedOrder, index: number): Promise<void> => {
    await sleep(Math.max(0, goAt + p.submitAtMs - Date.now()));
    try {
      await submitOrder(client, p, deadline);
    } catch (err) {
      settled[index] = { note: `could not be submitted: ${(err as Error).message}` };
      return;
    }
    submitted.add(p.workflowId);
    settled[index] = await awaitOrder(client, p.workflowId, deadline);
    const s = settled[index]!;
    const mismatch = s.state === undefined ? `the scenario expects ${p.expected}` : unexpectedEnding(p.scenario, s);
    if (mismatch)
      log(
        `! ${p.workflowId} (${p.scenario}${p.injected ? `; ${p.injected}` : ''}) ended ${s.state ?? 'UNFINISHED'}${s.failureType ? ` (${s.failureType})` : ''}: ${mismatch}${s.note ? `; ${s.note}` : ''}`,
      );
  };
  const openWorkflows = () =>
    planned.filter((p, i) => submitted.has(p.workflowId) && !settled[i]).map((p) => p.workflowId);

  /** Waits until no pending step is near its retry limit (see attempt-guard.ts); false when it never got safe. */
  const whenSafe = async (what: string): Promise<boolean> => {
    const holdUntil = Date.now() + HOLD_LIMIT_MS;
    let held = false;
    while (!allSettled) {
      try {
        const risky = stepsAtRisk(await pendingSteps(client, openWorkflows()), (id, step) =>
          failingAttempts(byWorkflow.get(id)!.order, step),
        );
        if (risky.length === 0) return true;
        if (!held) {
          counts.strikesHeld++;
          log(
            `holding back (${what}): ${risky.map((r) => `${r.workflowId} ${r.step} on attempt ${r.attempt}`).join(', ')} is near its retry limit`,
          );
        }
        held = true;
      } catch {
        // The server is not answering right now: not a moment to break something else.
      }
      if (Date.now() > holdUntil) break;
      await sleep(500);
    }
    counts.strikesSkipped++;
    record(`skipped (${what}): it never became safe`);
    return false;
  };

  const restarts: Promise<unknown>[] = [];
  const strike = async (event: ChaosEvent): Promise<void> => {
    switch (event.kind) {
      case 'kill-worker': {
        // A worker still starting is left alone: killing it then would leave it down for good.
        if (!worker.isReady) {
          counts.strikesSkipped++;
          return void record('kill the local worker: it is not up yet, skipped');
        }
        if (!(await whenSafe('kill the local worker'))) return;
        const pid = worker.kill();
        counts.workerKills++;
        record(
          `SIGKILLed the local worker pid ${pid} (${openWorkflows().length} orders in flight); restarting it in ${(event.downMs / 1000).toFixed(1)} s`,
        );
        restarts.push(
          sleep(event.downMs)
            .then(() => worker.start())
            .then((newPid) => record(`local worker restarted as pid ${newPid}`))
            .catch((err: Error) => record(`! the local worker did not restart: ${err.message}`)),
        );
        return;
      }
      case 'crash-lambda': {
        const busyBy = Date.now() + LAMBDA_BUSY_WAIT_MS;
        while (stack.busyEnvironments() === 0 && Date.now() < busyBy) await sleep(250);
        if (stack.busyEnvironments() === 0) {
          counts.strikesSkipped++;
          return void record('crash a Lambda environment: none busy, skipped');
        }
        if (!(await whenSafe('crash a Lambda environment'))) return;
        const victim = stack.lambda.service.crashBusyEnvironment(FUNCTION_NAME, random);
        if (!victim) {
          counts.strikesSkipped++;
          return void record('crash a Lambda environment: none busy any more, skipped');
        }
        counts.lambdaCrashes++;
        return void record(
          `crashed Lambda environment ${victim.id} (pid ${victim.pid}) in the middle of an invocation`,
        );
      }
      case 'restart-server': {
        // The point is a worker that lives through the restart, so wait for one that polls (a slow start under load).
        for (let i = 0; i < 120 && !worker.isReady; i++) await sleep(500);
        if (!(await whenSafe('restart the dev server'))) return;
        const workerIdentity = worker.pid !== undefined ? LocalWorker.identity(worker.pid) : undefined;
        record(
          `stopping the Temporal dev server (${openWorkflows().length} orders in flight; local worker ${workerIdentity ?? 'down'})`,
        );
        const stoppedAt = Date.now();
        await withTimeout(stack.restartDevServer(), SERVER_RESTART_LIMIT_MS, 'the dev server restart');
        counts.serverRestarts++;
        restart = { backAt: Date.now(), workerIdentity };
        record(
          `dev server back on ${stack.server.address} after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s, same database file`,
        );
        const current = restart;
        for (let i = 0; i < 60 && current.clientBackAt === undefined; i++) {
          try {
            await client.workflowService.getSystemInfo({});
            current.clientBackAt = Date.now();
            record(
              `client reconnected ${((current.clientBackAt - current.backAt) / 1000).toFixed(1)} s after the restart`,
            );
          } catch {
            await sleep(500);
          }
        }
        // Leave the worker alone until it has shown it works against the restarted server (the plan keeps the
        // next kill well after this anyway); new orders keep arriving, so it gets work.
        for (
          let i = 0;
          i < RECONNECT_WAIT_MS / 500 && worker.isUp && !firstEffectAfter(current, await ledger.read(), false);
          i++
        )
          await sleep(500);
        const effect = firstEffectAfter(current, await ledger.read(), false);
        record(
          effect
            ? `local worker pid ${worker.pid} (up through the restart) recorded ${effect.key} ${((Date.parse(effect.at) - current.backAt) / 1000).toFixed(1)} s after it`
            : `! the local worker recorded nothing within ${RECONNECT_WAIT_MS / 1000} s of the restart`,
        );
        return;
      }
    }
  };

  let chaosFailure: Error | undefined;
  const chaos = (async () => {
    for (const event of events) {
      await sleep(Math.max(0, goAt + event.atMs - Date.now()));
      if (allSettled) return;
      await strike(event);
    }
  })().catch((err: Error) => {
    chaosFailure = err;
    record(`! chaos stopped: ${err.message}`);
  });
  // The DynamoDB ledger's server restarts once, mid-window: activities meeting it down fail and are retried.
  if (ledger.restart) {
    const restartLedger = ledger.restart;
    restarts.push(
      (async () => {
        await sleep(Math.max(0, goAt + windowMs / 2 - Date.now()));
        for (let i = 0; i < 40 && !allSettled && openWorkflows().length === 0; i++) await sleep(500); // mid-order
        if (allSettled || !(await whenSafe('ledger server restart'))) return;
        record(`restarting the DynamoDB ledger server (moto; ${openWorkflows().length} orders in flight)`);
        record(`ledger server back after ${((await restartLedger()) / 1000).toFixed(1)} s, its requests replayed`);
      })().catch((err: Error) => {
        chaosFailure = err;
        record(`! the ledger server restart failed: ${err.message}`);
      }),
    );
  }
  const progress = setInterval(() => {
    const done = settled.filter((s) => s?.state).length;
    log(
      `progress: ${submitted.size}/${planned.length} submitted, ${done} finished, ${openWorkflows().length} in flight; local worker ${worker.isUp ? `up (pid ${worker.pid})` : 'down'}, ${stack.busyEnvironments()} Lambda environment(s) busy`,
    );
  }, PROGRESS_EVERY_MS);
  stage.own('progress', () => clearInterval(progress));

  await Promise.all(planned.map(runOrder));
  allSettled = true;
  clearInterval(progress);
  record(
    `all orders settled (${settled.filter((s) => s?.state).length} finished, ${settled.filter((s) => !s?.state).length} not)`,
  );
  await chaos;
  await Promise.all(restarts);
  if (chaosFailure) throw chaosFailure;

  // The serverless path, deterministically: no local worker at all, one more order, only the Lambda can run it.
  const probe = probeOrder(`chaos-s${args.seed}`);
  const probePid = await worker.stop();
  record(
    `probe: ${probePid ? `stopped the local worker pid ${probePid} for good (Ctrl+C); ` : ''}submitting ${probe.workflowId}, which only the Lambda can run`,
  );
  const probeDeadline = Date.now() + PROBE_DEADLINE_MS;
  const probed = await submitOrder(client, probe, probeDeadline).then(
    () => awaitOrder(client, probe.workflowId, probeDeadline),
    (err: Error): SettledOrder => ({ note: `could not be submitted: ${err.message}` }),
  );
  const probeSteps = probed.status?.steps.filter((st) => st.status === 'completed') ?? [];
  const probeOnLambda =
    probed.state === 'COMPLETED' && probeSteps.length > 0 && probeSteps.every((st) => isLambdaIdentity(st.worker));
  record(
    `probe: ${probe.workflowId} ${probed.state ?? `UNFINISHED (${probed.note})`}, ${probeSteps.length} steps, ${probeOnLambda ? 'all on Lambda' : 'NOT all on Lambda'}`,
  );
  counts.unexpectedWorkerExits = worker.unexpectedExits.length;

  const journal = await ledger.read();
  const outcomes: OrderOutcome[] = [...planned, probe].map((p, i) => {
    const s = i < planned.length ? settled[i] : probed;
    return {
      orderId: p.order.orderId,
      workflowId: p.workflowId,
      expected: p.expected,
      expectedFailureType: p.expectedFailureType,
      state: s?.state,
      failureType: s?.failureType,
      note: s?.note,
    };
  });
  const reconnection = checkReconnection(restart, journal);
  const violations: Violation[] = [
    ...checkInvariants(outcomes, journal),
    ...reconnection.violations,
    ...(probeOnLambda
      ? []
      : [
          {
            invariant: 'lambda-finishes-alone' as const,
            detail: `${probe.workflowId}: ${probed.state ?? probed.note}; steps by ${probeSteps.map((st) => st.worker).join(', ') || 'nobody'}`,
          },
        ]),
    ...worker.unexpectedExits.map((e): Violation => ({
      invariant: 'worker-died-only-when-killed',
      detail: `pid ${e.pid} exited with code ${e.code}, signal ${e.signal}: ${e.lastLines.slice(-3).join(' | ')}`,
    })),
  ];
  const window = { start: startedAt - 60_000, end: Date.now() + 1_000 };
  const sum = (metric: 'Invocations' | 'Errors' | 'ColdStarts') =>
    stack.lambda.metrics
      .series(FUNCTION_NAME, metric, 'Sum', window.start, window.end, 3600)
      .values.reduce((a, b) => a + b, 0);
  const finished = [...settled.map((s) => s ?? {}), probed];
  const result: ChaosResult = {
    seed: args.seed,
    orders: args.orders,
    latencyScale: Number(LATENCY_SCALE),
    durationS: Math.round((Date.now() - startedAt) / 1000),
    outcomes: countOutcomes(planned, finished),
    probe: {
      workflowId: probe.workflowId,
      state: probed.state ?? 'UNFINISHED',
      steps: probeSteps.length,
      allOnLambda: probeOnLambda,
    },
    ordersWithInjectedFaults: planned.filter((p) => p.injected).length,
    chaos: counts,
    reconnection: reconnection.report,
    steps: countSteps(finished),
    effects: countEffects(journal),
    lambdaInvocations: { total: sum('Invocations'), errors: sum('Errors'), coldStarts: sum('ColdStarts') },
    timeline,
    violations,
  };
  printResult(result);
  const resultFile = path.join(CHAOS_DIR, 'result.json');
  fs.writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `Result: ${path.relative(process.cwd(), resultFile)}; logs: ${path.relative(process.cwd(), CHAOS_DIR)}/ (worker.log, dev-server.log, lambda-local/logs/)`,
  );
  return violations.length === 0 ? 0 : 1;
}
