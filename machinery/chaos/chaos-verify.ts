/**
 * The end of a chaos run: a probe order with no local worker at all (only the Lambda can run it), then the
 * exactly-once invariants checked from the ledger and every order's ending, the report, and result.json.
 */

import fs from 'node:fs';
import path from 'node:path';
import { isLambdaIdentity } from '../../client/describe-worker';
import { journalPathOf, type ChaosRun } from './chaos-run';
import { LAMBDA_FUNCTION_NAME } from '../../config/settings';
import { checkLedgerFaults } from './ledger-faults';
import { acceptableEndings, cancellationPhase, checkCancellationRecord } from './outside-cancellations';
import { checkInvariants, type OrderOutcome, type Violation } from './invariants';
import { awaitOrder, submitOrder, type SettledOrder } from './order-outcome';
import { probeOrder } from './order-plan';
import { checkReconnection } from './reconnection';
import { countEffects, countOutcomes, countSteps, printResult, type ChaosResult } from './report';

/** How long the final probe order may take on the Lambda alone (cold start included). */
const PROBE_DEADLINE_MS = 120_000;

/** The serverless path, deterministically: the local worker stopped for good, one more order, only the Lambda. */
async function runProbe(run: ChaosRun) {
  const probe = probeOrder(`chaos-s${run.args.seed}`);
  const probePid = await run.worker.stop();
  const stopped = probePid ? `stopped the local worker pid ${probePid} for good (Ctrl+C); ` : '';
  run.record(`probe: ${stopped}submitting ${probe.workflowId}, which only the Lambda can run`);
  const deadline = Date.now() + PROBE_DEADLINE_MS;
  const settled = await submitOrder(run.client, probe, deadline).then(
    () => awaitOrder(run.client, probe.workflowId, deadline),
    (err: Error): SettledOrder => ({ note: `could not be submitted: ${err.message}` }),
  );
  const steps = settled.status?.steps.filter((st) => st.status === 'completed') ?? [];
  const onLambda =
    settled.state === 'COMPLETED' && steps.length > 0 && steps.every((st) => isLambdaIdentity(st.worker));
  run.record(
    `probe: ${probe.workflowId} ${settled.state ?? `UNFINISHED (${settled.note})`}, ${steps.length} steps, ` +
      `${onLambda ? 'all on Lambda' : 'NOT all on Lambda'}`,
  );
  return { probe, settled, steps, onLambda };
}

/**
 * For each order cancelled from outside: where the request found it (from its history), so which endings are right,
 * and whether its status recorded the outcome.
 */
async function checkOutsideCancellations(run: ChaosRun) {
  const acceptable = new Map<string, ReturnType<typeof acceptableEndings>>();
  const violations: Violation[] = [];
  for (const [i, p] of run.planned.entries()) {
    const settled = run.settled[i];
    if (p.cancelAfterMs === undefined || !settled?.state) continue;
    const history = await run.client.workflow.getHandle(p.workflowId).fetchHistory();
    const phase = cancellationPhase(history.events ?? []);
    if (phase === 'not-requested') continue;
    acceptable.set(p.workflowId, acceptableEndings(phase));
    violations.push(...checkCancellationRecord(p.workflowId, settled.state, settled.status));
    if (settled.state === 'COMPLETED') run.cancellations.declined++;
    else run.cancellations.rolledBack++;
  }
  return { acceptable, violations };
}

/** Runs the probe, checks every invariant, prints the report and writes result.json; returns the exit code. */
export async function verifyChaos(run: ChaosRun, dir: string): Promise<number> {
  const { probe, settled: probed, steps: probeSteps, onLambda } = await runProbe(run);
  run.counts.unexpectedWorkerExits = run.worker.unexpectedExits.length;
  const journal = await run.ledger.read();
  run.ledgerFaults.ambiguousWrites = run.ledger.ambiguousWrites?.() ?? 0;
  const cancellationChecks = await checkOutsideCancellations(run);
  const outcomes: OrderOutcome[] = [...run.planned, probe].map((p, i) => {
    const s = i < run.planned.length ? run.settled[i] : probed;
    return {
      acceptable: cancellationChecks.acceptable.get(p.workflowId),
      orderId: p.order.orderId,
      workflowId: p.workflowId,
      expected: p.expected,
      expectedFailureType: p.expectedFailureType,
      state: s?.state,
      failureType: s?.failureType,
      note: s?.note,
    };
  });
  const reconnection = checkReconnection(run.restart, journal);
  const probeWorkers = probeSteps.map((st) => st.worker).join(', ') || 'nobody';
  const violations: Violation[] = [
    ...checkInvariants(outcomes, journal),
    ...cancellationChecks.violations,
    ...checkLedgerFaults(journalPathOf(run), run.ledgerFaults, run.tornFragments),
    ...reconnection.violations,
    ...(onLambda
      ? []
      : [
          {
            invariant: 'lambda-finishes-alone' as const,
            detail: `${probe.workflowId}: ${probed.state ?? probed.note}; steps by ${probeWorkers}`,
          },
        ]),
    ...run.worker.unexpectedExits.map((e): Violation => ({
      invariant: 'worker-died-only-when-killed',
      detail: `pid ${e.pid} exited with code ${e.code}, signal ${e.signal}: ${e.lastLines.slice(-3).join(' | ')}`,
    })),
  ];
  const window = { start: run.startedAt - 60_000, end: Date.now() + 1_000 };
  const sum = (metric: 'Invocations' | 'Errors' | 'ColdStarts') =>
    run.stack.lambda.metrics
      .series(LAMBDA_FUNCTION_NAME, metric, 'Sum', window.start, window.end, 3600)
      .values.reduce((a, b) => a + b, 0);
  const finished = [...run.settled.map((s) => s ?? {}), probed];
  const result: ChaosResult = {
    seed: run.args.seed,
    orders: run.args.orders,
    latencyScale: Number(run.latencyScale),
    durationS: Math.round((Date.now() - run.startedAt) / 1000),
    outcomes: countOutcomes(run.planned, finished),
    probe: {
      workflowId: probe.workflowId,
      state: probed.state ?? 'UNFINISHED',
      steps: probeSteps.length,
      allOnLambda: onLambda,
    },
    ordersWithInjectedFaults: run.planned.filter((p) => p.injected).length,
    chaos: run.counts,
    ledgerFaults: run.ledgerFaults,
    outsideCancellations: run.cancellations,
    reconnection: reconnection.report,
    steps: countSteps(finished),
    effects: countEffects(journal),
    lambdaInvocations: { total: sum('Invocations'), errors: sum('Errors'), coldStarts: sum('ColdStarts') },
    timeline: run.timeline,
    violations,
  };
  printResult(result);
  const resultFile = path.join(dir, 'result.json');
  fs.writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  const where = (p: string) => path.relative(process.cwd(), p);
  console.log(`Result: ${where(resultFile)}; logs: ${where(dir)}/ (worker.log, dev-server.log, lambda-local/logs/)`);
  return violations.length === 0 ? 0 : 1;
}
