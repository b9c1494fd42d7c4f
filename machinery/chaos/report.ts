/** The run's numbers, as printed at the end and written to data/chaos/result.json. */

import type { JournalEntry } from '../../activities/journal';
import { SCENARIOS, type Scenario } from '../../domain/scenarios';
import { isLambdaIdentity } from '../../client/describe-worker';
import type { Violation } from './invariants';
import type { LedgerFaultCounts } from './ledger-faults';
import type { OutsideCancellationCounts } from './outside-cancellations';
import type { SettledOrder } from './order-outcome';
import type { PlannedOrder } from './order-plan';
import type { ReconnectionReport } from './reconnection';

export interface ChaosCounts {
  workerKills: number;
  lambdaCrashes: number;
  serverRestarts: number;
  /** Strikes held back a while because an attempt near the retry limit was in flight. */
  strikesHeld: number;
  /** Strikes given up (never safe in time, or nothing to strike). */
  strikesSkipped: number;
  unexpectedWorkerExits: number;
}

export interface ChaosResult {
  seed: number;
  orders: number;
  latencyScale: number;
  durationS: number;
  /** Per scenario: how many orders ended in each state (UNFINISHED: not before the deadline). */
  outcomes: Record<Scenario, Record<string, number>>;
  ordersWithInjectedFaults: number;
  /** The final order run with no local worker at all (not counted in `outcomes`). */
  probe: { workflowId: string; state: string; steps: number; allOnLambda: boolean };
  chaos: ChaosCounts;
  ledgerFaults: LedgerFaultCounts;
  outsideCancellations: OutsideCancellationCounts;
  reconnection?: ReconnectionReport;
  /** Forward steps and compensations completed, by where they ran (from the orders' status). */
  steps: { lambda: number; local: number };
  /** Journal effects: total, per kind, by where they ran. */
  effects: { total: number; lambda: number; local: number; byKind: Record<string, number> };
  lambdaInvocations: { total: number; errors: number; coldStarts: number };
  timeline: { atS: number; what: string }[];
  violations: Violation[];
}

export function countOutcomes(
  planned: readonly PlannedOrder[],
  settled: readonly SettledOrder[],
): ChaosResult['outcomes'] {
  const outcomes = Object.fromEntries(
    SCENARIOS.map((s) => [s, {} as Record<string, number>]),
  ) as ChaosResult['outcomes'];
  planned.forEach((p, i) => {
    const s = settled[i];
    // A failed order is counted with its failure type, so a decline that failed for another reason stands out.
    const ending =
      s?.state === undefined
        ? 'UNFINISHED'
        : s.state === 'COMPLETED'
          ? s.state
          : `${s.state} (${s.failureType ?? 'no type'})`;
    outcomes[p.scenario][ending] = (outcomes[p.scenario][ending] ?? 0) + 1;
  });
  return outcomes;
}

export function countSteps(settled: readonly SettledOrder[]): ChaosResult['steps'] {
  const workers = settled.flatMap((s) => [
    ...(s.status?.steps ?? []).filter((step) => step.status === 'completed').map((step) => step.worker),
    ...(s.status?.compensations ?? []).filter((c) => c.status === 'completed').map((c) => c.worker),
  ]);
  const lambda = workers.filter((w) => isLambdaIdentity(w)).length;
  return { lambda, local: workers.length - lambda };
}

export function countEffects(journal: readonly JournalEntry[]): ChaosResult['effects'] {
  const byKind: Record<string, number> = {};
  for (const e of journal) byKind[e.effect] = (byKind[e.effect] ?? 0) + 1;
  const lambda = journal.filter((e) => isLambdaIdentity(e.worker)).length;
  return { total: journal.length, lambda, local: journal.length - lambda, byKind };
}

export function printResult(result: ChaosResult, print: (line: string) => void = console.log): void {
  print('\n━━ Chaos run summary ━━');
  print(
    `seed ${result.seed}, ${result.orders} orders (${result.ordersWithInjectedFaults} with extra faults), latency scale ${result.latencyScale}, ${result.durationS} s`,
  );
  print('orders per scenario and outcome:');
  for (const scenario of SCENARIOS) {
    const counts = Object.entries(result.outcomes[scenario])
      .map(([state, n]) => `${state} ${n}`)
      .join(', ');
    if (counts) print(`  ${scenario.padEnd(16)} ${counts}`);
  }
  print(
    `probe order with no local worker: ${result.probe.state}, ${result.probe.steps} steps, ${result.probe.allOnLambda ? 'all on Lambda' : 'NOT all on Lambda'}`,
  );
  const c = result.chaos;
  print(
    `chaos: ${c.workerKills} worker kills, ${c.lambdaCrashes} Lambda environment crashes, ${c.serverRestarts} server restart(s); ${c.strikesHeld} strikes held back near a retry limit, ${c.strikesSkipped} skipped; ${c.unexpectedWorkerExits} unexpected worker exits`,
  );
  const f = result.ledgerFaults;
  print(
    `ledger faults: ${f.tornLines} torn journal lines, ${f.lockStalls} lock holders frozen past the old 3 s stale time (${f.locksLost} lost their lock), ${f.ambiguousWrites} DynamoDB writes whose reply was lost`,
  );
  const oc = result.outsideCancellations;
  print(
    `outside cancellations: ${oc.sent} sent (${oc.rolledBack} rolled back, ${oc.declined} declined after the shipment, ${oc.sent - oc.rolledBack - oc.declined} reached the order as it ended), ${oc.arrivedAfterEnd} arrived after the order had ended`,
  );
  if (result.reconnection) {
    const r = result.reconnection;
    const lambda = r.lambda ? `yes (first effect ${r.lambdaFirstEffectS} s after)` : 'NO';
    print(
      `after the server restart: client ${r.client ? 'yes' : 'NO'}, local worker ${r.localWorker ? `yes (first effect ${r.localWorkerFirstEffectS} s after)` : 'NO'}, Lambda ${lambda}`,
    );
  }
  print(`steps completed: ${result.steps.local} on the local worker, ${result.steps.lambda} on Lambda`);
  const kinds = Object.entries(result.effects.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  print(
    `effects in the journal: ${result.effects.total} (${kinds}); ${result.effects.local} local, ${result.effects.lambda} Lambda`,
  );
  const inv = result.lambdaInvocations;
  print(`Lambda invocations: ${inv.total} (${inv.errors} errors, ${inv.coldStarts} cold starts)`);
  if (result.violations.length === 0) print('violations: none');
  else {
    print(`VIOLATIONS: ${result.violations.length}`);
    for (const v of result.violations) print(`  ✗ ${v.invariant}: ${v.detail}`);
  }
}
