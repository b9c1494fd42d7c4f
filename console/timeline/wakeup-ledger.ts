/**
 * The wake-up ledger: for each Lambda invocation, what woke it and what it did, from the tasks the histories say its
 * worker ran (matched by identity `<requestId>@<functionArn>`) and the summary its handler returned. Pure.
 */

import { billedGBSeconds, billedMs } from '../../machinery/lambda-local/metrics';
import type {
  InvocationSummaryView,
  LedgerEntry,
  TimelineAttempt,
  TimelineMark,
  TimelineWorkflowTask,
} from './timeline-types';

export interface InvocationRecord {
  requestId: string;
  environmentId?: string;
  startedAt: number;
  endedAt?: number;
  memoryMb: number;
  errorType?: string;
  initMs?: number;
  summary?: InvocationSummaryView;
}

/** What Lambda bills for a finished invocation (the local service's own rule, machinery/lambda-local/metrics.ts). */
export function billing(record: InvocationRecord): { billedMs?: number; gbSeconds?: number } {
  if (record.endedAt === undefined) return {};
  const span = { startedAt: record.startedAt, endedAt: record.endedAt, memoryMb: record.memoryMb };
  return { billedMs: billedMs(span), gbSeconds: billedGBSeconds(span) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function listOrders(orders: string[]): string {
  const shown = orders.slice(0, 3).join(', ');
  return orders.length > 3 ? `${shown} and ${orders.length - 3} more` : shown;
}

/**
 * `firstOfItsVersion`: no earlier invocation ran the same function ARN (version), so one that ran no task is the
 * check Temporal's worker controller makes when the version is registered.
 */
export function ledgerEntry(
  record: InvocationRecord,
  attempts: readonly TimelineAttempt[],
  workflowTasks: readonly TimelineWorkflowTask[],
  firstOfItsVersion: boolean,
): LedgerEntry {
  const mine = (worker?: string) => Boolean(worker?.startsWith(`${record.requestId}@`));
  const activities = attempts.filter((a) => mine(a.worker));
  const tasks = workflowTasks.filter((t) => mine(t.worker));
  const orders = [...new Set([...activities, ...tasks].map((t) => t.orderId))];
  const base = {
    requestId: record.requestId,
    ...(record.environmentId && { environmentId: record.environmentId }),
    activityTasks: activities.length,
    workflowTasks: tasks.length,
    orders,
    ...billing(record),
  };
  const work =
    activities.length + tasks.length > 0
      ? `${plural(activities.length, 'activity task')} / ${plural(tasks.length, 'workflow task')} of ${orders.length === 1 ? 'order' : 'orders'} ${listOrders(orders)}`
      : '';
  if (record.errorType)
    return { ...base, cause: 'failed', text: `failed (${record.errorType})${work ? `: ${work}` : ''}` };
  if (work) {
    const running = record.endedAt === undefined ? ' so far' : '';
    return { ...base, cause: record.endedAt === undefined ? 'running' : 'tasks', text: `${work}${running}` };
  }
  if (record.endedAt === undefined) return { ...base, cause: 'running', text: 'running: no task yet' };
  // Activations the history does not show: a query (never written to history) or an update its validator refused.
  if ((record.summary?.workflowActivations ?? 0) > 0 && (record.summary?.activitiesStarted ?? 0) === 0)
    return {
      ...base,
      cause: 'query or update',
      text: `a query or update (${plural(record.summary!.workflowActivations!, 'workflow activation')}, nothing in any history)`,
    };
  if (firstOfItsVersion) return { ...base, cause: 'registration check', text: 'registration check (ran no task)' };
  return { ...base, cause: 'no task', text: 'no task (another environment took it)' };
}

/** The function ARN an invocation ran (from its worker identity), to tell a version's first invocation. */
function arnOf(record: InvocationRecord): string {
  const identity = record.summary?.identity;
  return identity ? identity.slice(identity.indexOf('@') + 1) : '?';
}

export function ledgerEntries(
  records: readonly InvocationRecord[],
  attempts: readonly TimelineAttempt[],
  workflowTasks: readonly TimelineWorkflowTask[],
): LedgerEntry[] {
  const seen = new Set<string>();
  return [...records]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((record) => {
      const arn = arnOf(record);
      const first = arn !== '?' && !seen.has(arn);
      seen.add(arn);
      return ledgerEntry(record, attempts, workflowTasks, first);
    });
}

/** The axis marks the invocations give: the first cold start, and the last moment their count fell to zero. */
export function invocationMarks(records: readonly InvocationRecord[]): TimelineMark[] {
  const marks: TimelineMark[] = [];
  const cold = records.filter((r) => r.initMs !== undefined).sort((a, b) => a.startedAt - b.startedAt)[0];
  if (cold) marks.push({ at: cold.startedAt, kind: 'first cold start', label: 'first cold start' });
  if (records.length > 0 && records.every((r) => r.endedAt !== undefined)) {
    const last = Math.max(...records.map((r) => r.endedAt!));
    marks.push({ at: last, kind: 'back to zero', label: '0 invocations' });
  }
  return marks;
}
