/**
 * One order's activity attempts and workflow tasks on a time axis, folded from what the server keeps without a
 * worker: history events (ActivityTaskStarted carries the attempt's worker and start, written when the attempt ends)
 * and DescribeWorkflowExecution's pending activities (the attempt in progress, and the end of the one before it,
 * which the history never records once a retry follows). Pure: the caller passes the time of each read.
 */

import { temporal } from '@temporalio/proto';
import { reasonOf } from '../../client/order-progress';
import { epochMsOf } from '../../client/proto-time';
import { COMPENSATIONS } from '../../domain/steps';
import type { AttemptOutcome, TimelineAttempt, TimelineWorkflowTask } from './timeline-types';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;
const EventType = temporal.api.enums.v1.EventType;
const PendingState = temporal.api.enums.v1.PendingActivityState;

interface Activity {
  activityId: string;
  name: string;
  attempts: Map<number, TimelineAttempt>;
  /** The progress in the heartbeat details as last read: what a retry would be handed. */
  checkpointMs?: number;
}

/** The `{ progressMs }` our heartbeating activities report (activities/heartbeat-work.ts); undefined otherwise. */
function progressOf(details: PendingActivity['heartbeatDetails']): number | undefined {
  const data = details?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    const value = (JSON.parse(Buffer.from(data).toString('utf8')) as { progressMs?: unknown }).progressMs;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined; // encoded or not JSON: no progress to show
  }
}

export class AttemptFold {
  private orderId: string;
  private readonly byScheduledId = new Map<string, Activity>();
  private readonly byActivityId = new Map<string, Activity>();
  private readonly workflowTasks = new Map<string, TimelineWorkflowTask>();

  constructor(private readonly workflowId: string) {
    this.orderId = workflowId.replace(/^order-/, '');
  }

  apply(events: HistoryEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  /** The pending activities as read at `now` (epoch ms). */
  observePending(pending: PendingActivity[], now: number): void {
    for (const p of pending) {
      const activity = this.byActivityId.get(p.activityId ?? '');
      if (!activity) continue;
      const attempt = p.attempt || 1;
      const started = p.state === PendingState.PENDING_ACTIVITY_STATE_STARTED;
      // Every earlier attempt still drawn as running has ended: the server moved on to this one.
      const ended = epochMsOf(p.lastAttemptCompleteTime) ?? now;
      const failure = reasonOf(p.lastFailure);
      for (const [n, a] of activity.attempts) {
        if (n >= attempt || a.outcome !== 'running') continue;
        a.endedAt = ended;
        a.outcome = failure?.type === 'Timeout' ? 'timed out' : 'failed';
        a.failure = failure?.message;
      }
      const progress = progressOf(p.heartbeatDetails);
      if (started) {
        const previous = activity.attempts.get(attempt);
        // First seen now: a retry starts from the checkpoint read before it (the server hands that on).
        const resumedFromMs = previous?.resumedFromMs ?? (attempt > 1 && !previous ? activity.checkpointMs : undefined);
        activity.attempts.set(attempt, {
          ...this.base(activity, attempt),
          ...previous,
          worker: p.lastWorkerIdentity || previous?.worker,
          startedAt: epochMsOf(p.lastStartedTime) ?? previous?.startedAt ?? now,
          outcome: 'running',
          ...(progress !== undefined && { progressMs: progress }),
          ...(resumedFromMs !== undefined && { resumedFromMs }),
        });
      }
      if (progress !== undefined) activity.checkpointMs = progress;
    }
  }

  attempts(): TimelineAttempt[] {
    return [...this.byActivityId.values()].flatMap((a) => [...a.attempts.values()]);
  }

  tasks(): TimelineWorkflowTask[] {
    return [...this.workflowTasks.values()];
  }

  private base(activity: Activity, attempt: number): TimelineAttempt {
    return {
      workflowId: this.workflowId,
      orderId: this.orderId,
      activity: activity.name,
      kind: (COMPENSATIONS as readonly string[]).includes(activity.name) ? 'compensation' : 'step',
      attempt,
      startedAt: 0,
      outcome: 'running',
    };
  }

  private last(scheduledEventId: unknown): TimelineAttempt | undefined {
    const activity = this.byScheduledId.get(String(scheduledEventId));
    if (!activity) return undefined;
    const n = Math.max(0, ...activity.attempts.keys());
    return activity.attempts.get(n);
  }

  private end(scheduledEventId: unknown, at: number | undefined, outcome: AttemptOutcome, failure?: string): void {
    const attempt = this.last(scheduledEventId);
    if (!attempt || at === undefined) return;
    Object.assign(attempt, { endedAt: at, outcome, ...(failure && { failure }) });
  }

  private applyOne(event: HistoryEvent): void {
    const at = epochMsOf(event.eventTime);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        this.readOrderId(event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        this.scheduled(event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        this.attemptStarted(event, at);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        this.end(event.activityTaskCompletedEventAttributes?.scheduledEventId, at, 'completed');
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const attrs = event.activityTaskFailedEventAttributes;
        this.end(attrs?.scheduledEventId, at, 'failed', reasonOf(attrs?.failure)?.message);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs = event.activityTaskTimedOutEventAttributes;
        this.end(attrs?.scheduledEventId, at, 'timed out', reasonOf(attrs?.failure)?.message);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        this.end(event.activityTaskCanceledEventAttributes?.scheduledEventId, at, 'cancelled');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        this.workflowTaskStarted(event, at);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        this.workflowTaskEnded(event, at);
        break;
      default:
        break;
    }
  }

  /** The order id from the workflow's input, when it is plain JSON. */
  private readOrderId(event: HistoryEvent): void {
    const payload = event.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    try {
      const order = payload ? (JSON.parse(Buffer.from(payload).toString('utf8')) as { orderId?: unknown }) : {};
      if (typeof order.orderId === 'string') this.orderId = order.orderId;
    } catch {
      // not JSON (an encoded payload): the workflow id stands in for the order id
    }
  }

  private scheduled(event: HistoryEvent): void {
    const attrs = event.activityTaskScheduledEventAttributes;
    const activity: Activity = {
      activityId: attrs?.activityId ?? String(event.eventId),
      name: attrs?.activityType?.name ?? 'activity',
      attempts: new Map(),
    };
    this.byScheduledId.set(String(event.eventId), activity);
    this.byActivityId.set(activity.activityId, activity);
  }

  private attemptStarted(event: HistoryEvent, at: number | undefined): void {
    const attrs = event.activityTaskStartedEventAttributes;
    const activity = this.byScheduledId.get(String(attrs?.scheduledEventId));
    if (!activity || at === undefined) return;
    const attempt = attrs?.attempt || 1;
    const previous = activity.attempts.get(attempt);
    activity.attempts.set(attempt, {
      ...this.base(activity, attempt),
      ...previous,
      worker: attrs?.identity || previous?.worker,
      startedAt: at,
      outcome: previous?.outcome ?? 'running',
    });
    // Earlier attempts seen running have ended (their end is not in the history).
    for (const [n, a] of activity.attempts)
      if (n < attempt && a.outcome === 'running') Object.assign(a, { outcome: 'failed', endedAt: a.endedAt ?? at });
  }

  private workflowTaskStarted(event: HistoryEvent, at: number | undefined): void {
    if (at === undefined) return;
    this.workflowTasks.set(String(event.eventId), {
      workflowId: this.workflowId,
      orderId: this.orderId,
      worker: event.workflowTaskStartedEventAttributes?.identity || undefined,
      startedAt: at,
    });
  }

  /** A workflow task completed, failed or timed out: the task it started ends. */
  private workflowTaskEnded(event: HistoryEvent, at: number | undefined): void {
    const attrs =
      event.workflowTaskCompletedEventAttributes ??
      event.workflowTaskFailedEventAttributes ??
      event.workflowTaskTimedOutEventAttributes;
    const task = this.workflowTasks.get(String(attrs?.startedEventId));
    if (task && at !== undefined) task.endedAt = at;
  }
}
