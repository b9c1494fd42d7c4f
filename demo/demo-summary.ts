/** The demo's closing summary: each order's ending and who ran its steps, the Lambda's bill, the journal's count. */

import { unexpectedEnding, type Scenario } from '../domain/scenarios';
import { describeWorker } from '../client/describe-worker';
import type { EndedOrder } from './verdict';
import { lambdaWork } from './verdict';

export function printSummary(summary: {
  orders: readonly EndedOrder[];
  scenario: Scenario;
  effects: number;
  /** Where the effects were read from: the journal file, or the DynamoDB table. */
  ledger: string;
  duplicateKeys: number;
  tookMs: number;
  invocations: number;
  coldStarts: number;
  billedGbSeconds: number;
  /** The console's timeline in text form (console/timeline/text-timeline.ts). */
  timeline: string[];
  /** The idle-capacity answer for a default workload (cost/cost-report.ts), and how to rerun it. */
  costAnswer: string[];
}): void {
  console.log('\n━━ Summary ━━');
  for (const order of summary.orders) {
    const mismatch = unexpectedEnding(summary.scenario, { state: order.state, failureType: order.failure?.type });
    const why = order.failure?.type ? ` (${order.failure.type})` : '';
    console.log(`${order.workflowId}: ${order.state}${why}${mismatch ? ` (UNEXPECTED: ${mismatch})` : ''}`);
    for (const step of order.progress.steps) {
      if (step.state === 'pending') continue;
      const attempt = step.attempt > 1 ? ` (attempt ${step.attempt})` : '';
      const failed = step.state === 'failed' ? ` ✗ ${step.failure?.type ?? 'failed'}` : '';
      console.log(`   ${step.name.padEnd(17)} ${describeWorker(step.worker)}${attempt}${failed}`);
    }
    for (const undo of order.progress.compensations)
      console.log(`   ↺ ${undo.name.padEnd(15)} ${describeWorker(undo.worker)}`);
  }
  console.log(
    `Steps and compensations run by the Lambda: ${lambdaWork(summary.orders)}; Lambda invocations: ${summary.invocations} ` +
      `(${summary.coldStarts} cold); billed ${summary.billedGbSeconds.toFixed(1)} GB-s`,
  );
  console.log(
    `Effects in the ${summary.ledger}: ${summary.effects}, each exactly once (${summary.duplicateKeys} duplicates). ` +
      `Demo took ${(summary.tookMs / 1000).toFixed(0)} s.`,
  );
  console.log('');
  for (const line of summary.timeline) console.log(line);
  console.log('');
  for (const line of summary.costAnswer) console.log(line);
}
