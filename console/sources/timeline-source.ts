/**
 * The timeline panel's data, from what the console already reads without waking a worker: every order's history
 * pages and pending-activity reads (handed over by the orders source, no extra calls), the local Lambda service's
 * invocations (GET /local/invocations, local mode), and the kills the console sees. Pushed to the page as one view.
 */

import { CONSOLE_CLOUD_LOGS_REFRESH_MS, CONSOLE_MAX_ORDERS, CONSOLE_TIMELINE_REFRESH_MS } from '../../config/console';
import type { LocalInvocationsReport } from '../../machinery/lambda-local/metrics';
import type { ConsoleHub } from '../console-hub';
import type { ConsoleMode } from '../console-types';
import { AttemptFold } from '../timeline/attempt-fold';
import type { InvocationSummaryView, TimelineMark, TimelineView } from '../timeline/timeline-types';
import { billing, invocationMarks, ledgerEntries, type InvocationRecord } from '../timeline/wakeup-ledger';

type FoldEvents = Parameters<AttemptFold['apply']>[0];
type FoldPending = Parameters<AttemptFold['observePending']>[0];

/** What cloud mode cannot draw, said on the page. */
export const CLOUD_TIMELINE_LIMITS =
  'Cloud mode: invocations come from the function\u2019s REPORT log lines (CloudWatch Logs, read every ' +
  `${CONSOLE_CLOUD_LOGS_REFRESH_MS / 1000} s, so they appear late); a lane is a log stream (one execution ` +
  'environment); the handler\u2019s own summary is not in the logs, so a query or update that woke a Lambda shows ' +
  'as "no task".';

export interface TimelineSourceOptions {
  hub: ConsoleHub;
  mode: ConsoleMode;
  /** Where the invocations come from: the local Lambda service, or the function's REPORT log lines. */
  readInvocations?: () => Promise<InvocationRecord[]>;
  /** How often to call it (the timeline itself is pushed every CONSOLE_TIMELINE_REFRESH_MS). */
  readEveryMs: number;
  /** Said once in the event log when reading fails, with the fix. */
  describeReadFailure: (err: Error) => string;
}

/** Local mode: the local Lambda service's GET /local/invocations for one function. */
export function localInvocationReader(endpoint: string, functionName: string, since: number) {
  return async (): Promise<InvocationRecord[]> => {
    const response = await fetch(`${endpoint}/local/invocations`, { signal: AbortSignal.timeout(2_000) });
    const reports = (await response.json()) as LocalInvocationsReport[];
    return recordsOf(
      reports.find((r) => r.functionName === functionName),
      since,
    );
  };
}

/** The handler's response (lambda/lifecycle.ts InvocationSummary), as far as the ledger reads it. */
export function summaryOf(response: string | undefined): InvocationSummaryView | undefined {
  if (!response) return undefined;
  try {
    const parsed = JSON.parse(response) as Record<string, unknown>;
    const pick = <T>(key: string, type: string) => (typeof parsed[key] === type ? (parsed[key] as T) : undefined);
    return {
      identity: pick<string>('identity', 'string'),
      stopReason: pick<string>('stopReason', 'string'),
      activitiesStarted: pick<number>('activitiesStarted', 'number'),
      workflowActivations: pick<number>('workflowActivations', 'number'),
      startupMs: pick<number>('startupMs', 'number'),
    };
  } catch {
    return undefined; // cut at the kept length, or not ours: the ledger goes by the histories alone
  }
}

/** The local service's report of one function, as the ledger's records (running ones without an end). */
export function recordsOf(report: LocalInvocationsReport | undefined, since: number): InvocationRecord[] {
  if (!report) return [];
  const finished = report.finished.map((i): InvocationRecord => ({
    requestId: i.requestId,
    environmentId: i.environmentId,
    startedAt: i.startedAt,
    endedAt: i.endedAt,
    memoryMb: i.memoryMb,
    errorType: i.errorType,
    initMs: i.initDurationMs,
    summary: summaryOf(i.response),
  }));
  const running = report.running.map((r): InvocationRecord => ({
    requestId: r.requestId,
    environmentId: r.environmentId,
    startedAt: r.startedAt,
    memoryMb: report.memoryMb,
  }));
  return [...finished, ...running].filter((r) => r.startedAt >= since);
}

/** The end of the last task a Lambda request ran, from the histories (its worker identity starts with the id). */
function lastTaskEnd(
  requestId: string,
  attempts: readonly { worker?: string; endedAt?: number }[],
  tasks: readonly { worker?: string; endedAt?: number }[],
): number | undefined {
  const ends = [...attempts, ...tasks]
    .filter((t) => t.worker?.startsWith(`${requestId}@`) && t.endedAt !== undefined)
    .map((t) => t.endedAt!);
  return ends.length ? Math.max(...ends) : undefined;
}

export class TimelineSource {
  private readonly folds = new Map<string, AttemptFold>();
  private readonly kills: TimelineMark[] = [];
  private records: InvocationRecord[] = [];
  private timer?: NodeJS.Timeout;
  private lastRead = 0;
  private lastPushed = '';
  private failing = false;
  private readOnce = false;

  constructor(private readonly options: TimelineSourceOptions) {}

  /** The orders source's hooks: every history page and pending-activity read of an order. */
  readonly onOrderRead = {
    events: (workflowId: string, events: FoldEvents) => this.foldOf(workflowId).apply(events),
    pending: (workflowId: string, pending: FoldPending, at: number) =>
      this.foldOf(workflowId).observePending(pending, at),
  };

  /** A mark on the axis: the local worker killed (by which signal). */
  markKill(label: string, at = Date.now()): void {
    this.kills.push({ at, kind: 'kill', label });
    this.push();
  }

  start(): void {
    const tick = async () => {
      await this.refresh();
      this.push();
      if (this.timer !== undefined) this.timer = setTimeout(() => void tick(), CONSOLE_TIMELINE_REFRESH_MS);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The whole timeline now, workflow tasks included (the terminal's text form and the ledger use them). */
  view(now = Date.now()): TimelineView {
    const attempts = [...this.folds.values()].flatMap((f) => f.attempts());
    const workflowTasks = [...this.folds.values()].flatMap((f) => f.tasks());
    const ledger = ledgerEntries(this.records, attempts, workflowTasks);
    const byRequest = new Map(ledger.map((entry) => [entry.requestId, entry]));
    return {
      mode: this.options.mode,
      now,
      attempts,
      workflowTasks,
      invocations: [...this.records]
        .sort((a, b) => a.startedAt - b.startedAt)
        .map((r) => ({
          requestId: r.requestId,
          environmentId: r.environmentId,
          startedAt: r.startedAt,
          endedAt: r.endedAt,
          initMs: r.initMs,
          memoryMb: r.memoryMb,
          errorType: r.errorType,
          summary: r.summary,
          lastTaskEndedAt: lastTaskEnd(r.requestId, attempts, workflowTasks),
          ledger: byRequest.get(r.requestId)!,
        })),
      marks: [...this.kills, ...invocationMarks(this.records)].sort((a, b) => a.at - b.at),
      ...(this.options.mode === 'cloud' && { limits: CLOUD_TIMELINE_LIMITS }),
    };
  }

  /**
   * What Lambda billed for the invocations that started since `since`, INIT included (a REPORT line's span covers
   * it); undefined until the invocations have been read once. Cloud mode's cost takes this over CloudWatch's
   * Duration metric, which leaves out the INIT that Lambda bills.
   */
  billedGbSeconds(since: number): number | undefined {
    if (!this.readOnce) return undefined;
    return this.records.filter((r) => r.startedAt >= since).reduce((sum, r) => sum + (billing(r).gbSeconds ?? 0), 0);
  }

  private foldOf(workflowId: string): AttemptFold {
    let fold = this.folds.get(workflowId);
    if (!fold) {
      fold = new AttemptFold(workflowId);
      this.folds.set(workflowId, fold);
      // As many orders as the board keeps; the oldest go first (a Map iterates in insertion order).
      if (this.folds.size > CONSOLE_MAX_ORDERS) this.folds.delete(this.folds.keys().next().value!);
    }
    return fold;
  }

  private async refresh(): Promise<void> {
    const { readInvocations, readEveryMs, hub, describeReadFailure } = this.options;
    if (!readInvocations || Date.now() - this.lastRead < readEveryMs) return;
    this.lastRead = Date.now();
    try {
      this.records = await readInvocations();
      this.failing = false;
      this.readOnce = true;
    } catch (err) {
      // Said once; the timeline keeps the invocations it had.
      if (!this.failing) hub.record('error', describeReadFailure(err as Error));
      this.failing = true;
    }
  }

  /** Sends the page the view when it changed; workflow tasks stay here (the ledger has counted them). */
  private push(): void {
    const { workflowTasks: _tasks, now: _now, ...rest } = this.view();
    const json = JSON.stringify(rest);
    if (json === this.lastPushed) return;
    this.lastPushed = json;
    this.options.hub.setTimeline({ ...rest, now: Date.now(), workflowTasks: [] });
  }
}
