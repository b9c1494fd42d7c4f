/**
 * Did everything come back after the dev server restart? The client must answer again, and the journal must show
 * effects after the restart by the very local worker process that was polling through it, and by a Lambda worker
 * (each invocation connects anew, and the worker controller must still invoke it: the run's final probe order,
 * which only the Lambda can run, makes sure there is such work).
 */

import type { JournalEntry } from '../../activities/journal';
import { isLambdaIdentity } from '../../client/describe-worker';
import type { Violation } from './invariants';

export interface RestartRecord {
  /** When the server answered again (epoch ms). */
  backAt: number;
  /** The local worker process that was up through the restart. */
  workerIdentity?: string;
  /** When the client first answered after the restart, if it did. */
  clientBackAt?: number;
}

export interface ReconnectionReport {
  client: boolean;
  localWorker: boolean;
  lambda: boolean;
  localWorkerFirstEffectS?: number;
  lambdaFirstEffectS?: number;
}

/** The first effect after the restart by the worker that lived through it, if any. */
export function firstEffectAfter(
  restart: RestartRecord,
  journal: readonly JournalEntry[],
  byLambda: boolean,
): JournalEntry | undefined {
  return journal.find(
    (e) =>
      Date.parse(e.at) > restart.backAt &&
      (byLambda ? isLambdaIdentity(e.worker) : e.worker === restart.workerIdentity),
  );
}

export function checkReconnection(
  restart: RestartRecord | undefined,
  journal: readonly JournalEntry[],
): { report?: ReconnectionReport; violations: Violation[] } {
  if (!restart)
    return {
      violations: [
        {
          invariant: 'reconnected-after-restart',
          detail: 'the server restart did not happen (it was held back until it was skipped)',
        },
      ],
    };
  const local = firstEffectAfter(restart, journal, false);
  const lambda = firstEffectAfter(restart, journal, true);
  const seconds = (entry?: JournalEntry) =>
    entry ? Math.round((Date.parse(entry.at) - restart.backAt) / 100) / 10 : undefined;
  const report: ReconnectionReport = {
    client: restart.clientBackAt !== undefined,
    localWorker: local !== undefined,
    lambda: lambda !== undefined,
    localWorkerFirstEffectS: seconds(local),
    lambdaFirstEffectS: seconds(lambda),
  };
  const violations: Violation[] = [];
  const flag = (detail: string) => violations.push({ invariant: 'reconnected-after-restart', detail });
  if (!report.client) flag('the client did not get an answer from the restarted server');
  if (!restart.workerIdentity) flag('no local worker was up through the restart');
  else if (!report.localWorker) flag(`the local worker ${restart.workerIdentity} recorded no effect after the restart`);
  if (!report.lambda) flag('no Lambda worker recorded an effect after the restart');
  return { report, violations };
}
