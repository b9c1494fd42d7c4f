/**
 * An attempt that failed before the one shown, told as history ("attempt 1 on local pid 19179: heartbeat timeout"),
 * never as the current attempt's error.
 */

import { describeWorkerShort } from './worker-label';
import { failureWords } from '../../client/failure-words';
import type { PreviousAttempt } from '../../client/order-progress';
import { el } from './dom';

export function previousAttemptLine(previous: PreviousAttempt, envs: Record<string, string>): HTMLElement {
  const where = previous.worker ? ` on ${describeWorkerShort(previous.worker, envs)}` : '';
  return el(
    'div',
    { class: 'history', 'data-previous-attempt': String(previous.attempt) },
    `attempt ${previous.attempt}${where}: ${failureWords(previous.failure)}`,
  );
}
