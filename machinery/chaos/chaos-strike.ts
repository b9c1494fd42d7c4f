/**
 * The chaos itself: at each planned moment, kill the local worker (and restart it), crash a busy Lambda environment,
 * or restart the dev server; on the DynamoDB ledger, restart its server once mid-window. A strike waits until no
 * pending step is near its retry limit, so what breaks is the infrastructure, never an order's last attempt.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { pendingSteps, stepsAtRisk } from './attempt-guard';
import { journalPathOf, openWorkflows, type ChaosRun } from './chaos-run';
import { LAMBDA_FUNCTION_NAME } from '../../config/settings';
import type { ChaosEvent } from './chaos-schedule';
import { LOCK_STALL_MS, stallLockHolder, tearJournalLine } from './ledger-faults';
import { LocalWorker } from './local-worker';
import { failingAttempts } from './order-plan';
import { firstEffectAfter, type RestartRecord } from './reconnection';

/** A strike held back this long (an attempt near its retry limit kept being in flight) is skipped. */
const HOLD_LIMIT_MS = 30_000;
/** How long a Lambda crash waits for an environment to be busy. */
const LAMBDA_BUSY_WAIT_MS = 8_000;
/** Stopping the dev server (5 s before it is SIGKILLed) and starting it again takes a few seconds. */
const SERVER_RESTART_LIMIT_MS = 90_000;
/** How long the run waits for the local worker to work again after the server restart. */
const RECONNECT_WAIT_MS = 40_000;

/** Rejects when `promise` takes longer than `ms`: a hung restart fails the run instead of hanging it. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Waits until no pending step is near its retry limit (see attempt-guard.ts); false when it never got safe. */
async function whenSafe(run: ChaosRun, what: string): Promise<boolean> {
  const holdUntil = Date.now() + HOLD_LIMIT_MS;
  let held = false;
  while (!run.allSettled) {
    try {
      const pending = await pendingSteps(run.client, openWorkflows(run));
      const risky = stepsAtRisk(pending, (id, step) => failingAttempts(run.byWorkflow.get(id)!.order, step));
      if (risky.length === 0) return true;
      if (!held) {
        run.counts.strikesHeld++;
        const which = risky.map((r) => `${r.workflowId} ${r.step} on attempt ${r.attempt}`).join(', ');
        run.log(`holding back (${what}): ${which} is near its retry limit`);
      }
      held = true;
    } catch {
      // The server is not answering right now: not a moment to break something else.
    }
    if (Date.now() > holdUntil) break;
    await sleep(500);
  }
  run.counts.strikesSkipped++;
  run.record(`skipped (${what}): it never became safe`);
  return false;
}

function skip(run: ChaosRun, why: string): void {
  run.counts.strikesSkipped++;
  run.record(why);
}

async function killWorker(
  run: ChaosRun,
  event: Extract<ChaosEvent, { kind: 'kill-worker' }>,
  restarts: Promise<unknown>[],
): Promise<void> {
  // A worker still starting is left alone: killing it then would leave it down for good.
  if (!run.worker.isReady) return skip(run, 'kill the local worker: it is not up yet, skipped');
  if (!(await whenSafe(run, 'kill the local worker'))) return;
  const pid = run.worker.kill();
  run.counts.workerKills++;
  run.record(
    `SIGKILLed the local worker pid ${pid} (${openWorkflows(run).length} orders in flight); restarting it in ` +
      `${(event.downMs / 1000).toFixed(1)} s`,
  );
  restarts.push(
    sleep(event.downMs)
      .then(() => run.worker.start())
      .then((newPid) => run.record(`local worker restarted as pid ${newPid}`))
      .catch((err: Error) => run.record(`! the local worker did not restart: ${err.message}`)),
  );
}

async function crashLambda(run: ChaosRun): Promise<void> {
  const { stack } = run;
  const busyBy = Date.now() + LAMBDA_BUSY_WAIT_MS;
  while (stack.busyEnvironments() === 0 && Date.now() < busyBy) await sleep(250);
  if (stack.busyEnvironments() === 0) return skip(run, 'crash a Lambda environment: none busy, skipped');
  if (!(await whenSafe(run, 'crash a Lambda environment'))) return;
  const victim = stack.lambda.service.crashBusyEnvironment(LAMBDA_FUNCTION_NAME, run.random);
  if (!victim) return skip(run, 'crash a Lambda environment: none busy any more, skipped');
  run.counts.lambdaCrashes++;
  run.record(`crashed Lambda environment ${victim.id} (pid ${victim.pid}) in the middle of an invocation`);
}

async function restartServer(run: ChaosRun): Promise<void> {
  const { worker, stack, client } = run;
  // The point is a worker that lives through the restart, so wait for one that polls (a slow start under load).
  for (let i = 0; i < 120 && !worker.isReady; i++) await sleep(500);
  if (!(await whenSafe(run, 'restart the dev server'))) return;
  const workerIdentity = worker.pid !== undefined ? LocalWorker.identity(worker.pid) : undefined;
  run.record(
    `stopping the Temporal dev server (${openWorkflows(run).length} orders in flight; local worker ${workerIdentity ?? 'down'})`,
  );
  const stoppedAt = Date.now();
  await withTimeout(stack.restartDevServer(), SERVER_RESTART_LIMIT_MS, 'the dev server restart');
  run.counts.serverRestarts++;
  const restart: RestartRecord = { backAt: Date.now(), workerIdentity };
  run.restart = restart;
  run.record(
    `dev server back on ${stack.server.address} after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s, same database file`,
  );
  for (let i = 0; i < 60 && restart.clientBackAt === undefined; i++) {
    try {
      await client.workflowService.getSystemInfo({});
      restart.clientBackAt = Date.now();
      run.record(
        `client reconnected ${((restart.clientBackAt - restart.backAt) / 1000).toFixed(1)} s after the restart`,
      );
    } catch {
      await sleep(500);
    }
  }
  // Leave the worker alone until it has shown it works against the restarted server (the plan keeps the next kill
  // well after this anyway); new orders keep arriving, so it gets work.
  const recorded = async () => firstEffectAfter(restart, await run.ledger.read(), false);
  for (let i = 0; i < RECONNECT_WAIT_MS / 500 && worker.isUp && !(await recorded()); i++) await sleep(500);
  const effect = await recorded();
  const after = effect ? ((Date.parse(effect.at) - restart.backAt) / 1000).toFixed(1) : '';
  run.record(
    effect
      ? `local worker pid ${worker.pid} (up through the restart) recorded ${effect.key} ${after} s after it`
      : `! the local worker recorded nothing within ${RECONNECT_WAIT_MS / 1000} s of the restart`,
  );
}

/** A writer dies mid-line: the next writer must move the torn bytes aside and start on a fresh line. */
async function tearLine(run: ChaosRun, journalPath: string): Promise<void> {
  const fragment = await tearJournalLine(journalPath, run.tornFragments.length + 1);
  run.tornFragments.push(fragment);
  run.ledgerFaults.tornLines++;
  run.record(`tore a journal line: ${fragment.length} bytes and no newline, as a writer killed mid-line leaves`);
}

/** A lock holder frozen past the old stale time: every other writer waits, and it must still own the lock. */
async function stallLock(run: ChaosRun, journalPath: string): Promise<void> {
  if (!(await whenSafe(run, 'freeze a journal lock holder'))) return;
  const { stillOwned, detail } = await stallLockHolder(journalPath);
  run.ledgerFaults.lockStalls++;
  if (!stillOwned) run.ledgerFaults.locksLost++;
  run.record(
    stillOwned
      ? `froze a journal lock holder for ${LOCK_STALL_MS / 1000} s (SIGSTOP): it still owned the lock when it woke`
      : `! a journal lock holder frozen for ${LOCK_STALL_MS / 1000} s lost its lock: ${detail}`,
  );
}

/** The DynamoDB ledger's server restarts once, mid-window: activities meeting it down fail and are retried. */
async function restartLedger(run: ChaosRun, restart: () => Promise<number>): Promise<void> {
  await sleep(Math.max(0, run.goAt + run.windowMs / 2 - Date.now()));
  for (let i = 0; i < 40 && !run.allSettled && openWorkflows(run).length === 0; i++) await sleep(500); // mid-order
  if (run.allSettled || !(await whenSafe(run, 'ledger server restart'))) return;
  run.record(`restarting the DynamoDB ledger server (moto; ${openWorkflows(run).length} orders in flight)`);
  run.record(`ledger server back after ${((await restart()) / 1000).toFixed(1)} s, its requests replayed`);
}

/**
 * Starts the planned strikes on their schedule. `done` resolves once the schedule has run out and every restart it
 * began has finished; it rejects when a strike failed in a way that makes the run meaningless (a hung restart).
 */
export function startStrikes(run: ChaosRun): { done: Promise<void> } {
  const restarts: Promise<unknown>[] = [];
  let failure: Error | undefined;
  const fail = (what: string) => (err: Error) => {
    failure = err;
    run.record(`! ${what}: ${err.message}`);
  };
  const schedule = (async () => {
    for (const event of run.events) {
      await sleep(Math.max(0, run.goAt + event.atMs - Date.now()));
      if (run.allSettled) return;
      const journalPath = journalPathOf(run);
      if (event.kind === 'kill-worker') await killWorker(run, event, restarts);
      else if (event.kind === 'crash-lambda') await crashLambda(run);
      else if (event.kind === 'restart-server') await restartServer(run);
      else if (journalPath && event.kind === 'tear-journal-line') await tearLine(run, journalPath);
      else if (journalPath && event.kind === 'stall-lock-holder') await stallLock(run, journalPath);
    }
  })().catch(fail('chaos stopped'));
  const ledgerRestart = run.ledger.restart;
  if (ledgerRestart) restarts.push(restartLedger(run, ledgerRestart).catch(fail('the ledger server restart failed')));
  const done = (async () => {
    await schedule;
    await Promise.all(restarts);
    if (failure) throw failure;
  })();
  done.catch(() => undefined); // awaited by the caller once the orders have settled
  return { done };
}
