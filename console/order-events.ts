/** The event-log lines one order's change tells: retries, a worker hand-over, compensations, the ending. */

import { describeWorker, isLambdaIdentity } from '../client/describe-worker';
import { failureWords } from '../client/failure-words';
import type { ObservedActivity, OrderProgress } from '../client/order-progress';
import type { LogEntry } from './console-types';

type Line = Pick<LogEntry, 'kind' | 'text'>;

function label(order: OrderProgress): string {
  return order.orderId ?? order.workflowId;
}

function activityLines(order: OrderProgress, before: ObservedActivity | undefined, now: ObservedActivity): Line[] {
  const lines: Line[] = [];
  const who = label(order);
  if (now.attempt > 1 && now.attempt > (before?.attempt ?? 0) && now.state !== 'completed') {
    const previous = now.previousAttempt;
    const on = previous?.worker ? ` on ${describeWorker(previous.worker)}` : '';
    const why = previous ? ` (attempt ${previous.attempt}${on}: ${failureWords(previous.failure)})` : '';
    lines.push({ kind: 'retry', text: `${who}: ${now.name} attempt ${now.attempt}${why}` });
  }
  if (now.kind === 'compensation' && !before)
    lines.push({ kind: 'compensation', text: `${who}: compensating with ${now.name}` });
  if (now.state === 'completed' && before?.state !== 'completed') {
    const lambda = isLambdaIdentity(now.worker) ? 'lambda' : 'info';
    const detail = now.detail ? ` (${now.detail})` : '';
    lines.push({ kind: lambda, text: `${who}: ${now.name} done by ${describeWorker(now.worker)}${detail}` });
  }
  if (now.state === 'failed' && before?.state !== 'failed') {
    lines.push({
      kind: 'order',
      text: `${who}: ${now.name} failed: ${now.failure?.type ?? ''} ${now.failure?.message ?? ''}`.trim(),
    });
  }
  return lines;
}

export function orderChangeLines(before: OrderProgress | undefined, now: OrderProgress): Line[] {
  const lines: Line[] = [];
  if (!before)
    lines.push({ kind: 'order', text: `${label(now)}: ${now.scenario ?? 'order'} order ${now.state.toLowerCase()}` });
  now.steps.forEach((step, i) => lines.push(...activityLines(now, before?.steps[i], step)));
  now.compensations.forEach((comp, i) => lines.push(...activityLines(now, before?.compensations[i], comp)));
  const request = now.cancellationRequest;
  if (request && !before?.cancellationRequest) {
    const by = request.identity ? ` by ${request.identity}` : '';
    const why = request.reason ? `: ${request.reason}` : '';
    lines.push({ kind: 'order', text: `${label(now)}: cancellation requested from outside${by}${why}` });
  }
  if (now.cancelRequested && !before?.cancelRequested) {
    lines.push({ kind: 'order', text: `${label(now)}: cancellation accepted (${now.cancelRequested.reason})` });
  }
  if (before && before.state !== now.state && !['RUNNING', 'COMPENSATING'].includes(now.state)) {
    const why = now.failure ? `: ${now.failure.type ?? ''} ${now.failure.message}` : '';
    lines.push({ kind: 'order', text: `${label(now)}: ${now.state}${why}` });
  }
  return lines;
}
