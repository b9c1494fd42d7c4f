/**
 * Whether the demo told its story, and if not, why: every order ended as its scenario implies, the Lambda did some of
 * the work after the local worker died (a step or a compensation), and no effect happened twice.
 */

import { unexpectedEnding, type Scenario } from '../domain/scenarios';
import type { OrderProgress } from '../client/order-progress';
import { isLambdaIdentity } from '../client/describe-worker';

export interface EndedOrder {
  workflowId: string;
  state: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  progress: OrderProgress;
  failure?: { type?: string; message: string };
}

/**
 * Steps and compensations whose last attempt a Lambda ran, whatever the order's ending: a declined charge and the
 * undo that follows count as much as a completed shipment.
 */
export function lambdaWork(orders: readonly EndedOrder[]): number {
  return orders.reduce((count, order) => {
    const activities = [...order.progress.steps, ...order.progress.compensations];
    return (
      count +
      activities.filter((a) => (a.state === 'completed' || a.state === 'failed') && isLambdaIdentity(a.worker)).length
    );
  }, 0);
}

export function demoProblems(input: {
  scenario: Scenario;
  orders: readonly EndedOrder[];
  duplicateKeys: number;
}): string[] {
  const problems: string[] = [];
  for (const order of input.orders) {
    const mismatch = unexpectedEnding(input.scenario, { state: order.state, failureType: order.failure?.type });
    if (mismatch) problems.push(`${order.workflowId}: ${mismatch}`);
  }
  if (lambdaWork(input.orders) === 0) {
    problems.push(
      'no step or compensation ran on the Lambda: Temporal never invoked it. Check that the function is registered ' +
        'and its version is current (data/demo/dev-server.log, data/demo/lambda-local/logs/).',
    );
  }
  if (input.duplicateKeys > 0) {
    problems.push(`${input.duplicateKeys} effect(s) in the journal share an idempotency key: something happened twice`);
  }
  return problems;
}
