/** The timeline panel's data: plain types shared by the console's source, the page and the terminal's text form. */

/** How an activity attempt ended, or that it still runs. A heartbeat timeout is `timed out`, never a success. */
export type AttemptOutcome = 'running' | 'completed' | 'failed' | 'timed out' | 'cancelled';

export interface TimelineAttempt {
  workflowId: string;
  orderId: string;
  activity: string;
  kind: 'step' | 'compensation';
  attempt: number;
  /** The worker's identity: `<pid>@<host>` or `<requestId>@<functionArn>`. */
  worker?: string;
  /** Epoch ms. */
  startedAt: number;
  endedAt?: number;
  outcome: AttemptOutcome;
  failure?: string;
  /** The last progress this attempt reported in its heartbeat details (`{ progressMs }`), as last read. */
  progressMs?: number;
  /** A retry: the checkpoint the server handed it (the last progress read before it started). */
  resumedFromMs?: number;
}

export interface TimelineWorkflowTask {
  workflowId: string;
  orderId: string;
  worker?: string;
  startedAt: number;
  endedAt?: number;
}

/** What woke an invocation and what it did: the wake-up ledger's line. */
export interface LedgerEntry {
  requestId: string;
  environmentId?: string;
  cause: 'registration check' | 'tasks' | 'no task' | 'query or update' | 'failed' | 'running';
  /** In words, for the page and the terminal. */
  text: string;
  activityTasks: number;
  workflowTasks: number;
  orders: string[];
  billedMs?: number;
  gbSeconds?: number;
}

/** What the handler returned (lambda/lifecycle.ts InvocationSummary), when it returned. */
export interface InvocationSummaryView {
  identity?: string;
  stopReason?: string;
  activitiesStarted?: number;
  workflowActivations?: number;
  startupMs?: number;
}

export interface TimelineInvocation {
  requestId: string;
  environmentId?: string;
  startedAt: number;
  endedAt?: number;
  /** Cold start: loading the code before the handler ran (REPORT's Init Duration). */
  initMs?: number;
  memoryMb: number;
  errorType?: string;
  summary?: InvocationSummaryView;
  /** When the last task it ran ended: after it, until the exit, the invocation only waited (its idle tail). */
  lastTaskEndedAt?: number;
  ledger: LedgerEntry;
}

export interface TimelineMark {
  at: number;
  kind: 'kill' | 'first cold start' | 'back to zero';
  label: string;
}

export interface TimelineView {
  mode: 'local' | 'cloud';
  /** The axis: from the first thing shown to `now`. */
  now: number;
  attempts: TimelineAttempt[];
  workflowTasks: TimelineWorkflowTask[];
  invocations: TimelineInvocation[];
  marks: TimelineMark[];
  /** What this mode cannot show, said on the page. */
  limits?: string;
}
