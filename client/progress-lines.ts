/**
 * What changed between two snapshots of an order's progress, as terminal lines in the starter's style
 * (`✓ step by worker at time`), plus what only the history observer can tell: which worker has the step now,
 * and that an attempt failed and the step is being retried. A step merely scheduled says nothing: with a worker up
 * that lasts milliseconds, and without one the retry line says why it waits. A long haul says one line per chunk
 * (`… createShipment hauling: chunk 3, 8.0 of 18.0 s by ...`), not one per heartbeat.
 */

import { describeWorker } from './describe-worker';
import type { ObservedActivity, OrderProgress } from './order-progress';

function clock(iso: string | undefined): string {
  return iso ? iso.slice(11, 19) : '--:--:--';
}

function stepLines(before: ObservedActivity | undefined, now: ObservedActivity): string[] {
  const lines: string[] = [];
  const attemptChanged = now.attempt !== (before?.attempt ?? 0);
  const stateChanged = now.state !== before?.state;
  const chunkChanged = now.haul?.chunk !== before?.haul?.chunk;
  if (!stateChanged && !attemptChanged && !chunkChanged && now.worker === before?.worker) return lines;
  const attempt = now.attempt > 1 ? `, attempt ${now.attempt}` : '';
  switch (now.state) {
    case 'running':
      lines.push(
        now.haul
          ? `… ${now.name} ${now.detail} by ${describeWorker(now.worker)}${attempt}`
          : `… ${now.name} started by ${describeWorker(now.worker)}${attempt}`,
      );
      break;
    case 'retrying':
      if (attemptChanged || stateChanged)
        lines.push(
          `↻ ${now.name} will retry (attempt ${now.attempt}) after: ${now.failure?.message ?? 'the attempt failed'}`,
        );
      break;
    case 'completed':
      if (stateChanged && now.kind === 'compensation') {
        lines.push(`↺ ${now.name}: ${now.detail ?? 'done'} (by ${describeWorker(now.worker)})`);
      } else if (stateChanged) {
        const detail = now.detail ? ` ${now.detail}` : '';
        lines.push(`✓ ${now.name} by ${describeWorker(now.worker)} at ${clock(now.finishedAt)}${attempt}${detail}`);
      }
      break;
    case 'failed':
      if (stateChanged) lines.push(`✗ ${now.name} failed: ${now.failure?.message ?? 'unknown reason'}`);
      break;
    case 'cancelled':
      if (stateChanged) lines.push(`✗ ${now.name} cancelled`);
      break;
    default:
      break;
  }
  return lines;
}

export function progressLines(before: OrderProgress | undefined, now: OrderProgress): string[] {
  const lines: string[] = [];
  now.steps.forEach((step, i) => lines.push(...stepLines(before?.steps[i], step)));
  now.compensations.forEach((comp, i) => lines.push(...stepLines(before?.compensations[i], comp)));
  if (now.cancelRequested && !before?.cancelRequested)
    lines.push(`! cancellation requested: ${now.cancelRequested.reason}`);
  return lines;
}
