/**
 * An order's progress, folded from what the Temporal server keeps without any worker: the workflow's history events
 * and DescribeWorkflowExecution's pending activities. Pure: no I/O, so the same fold serves tests, starter and console.
 */

import { epochMsOf } from './proto-time';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { OrderCancelled } from '../domain/errors';
import type { Scenario } from '../domain/scenarios';
import { cancelReason } from '../domain/status';
import type { HaulCheckpoint, HaulChunkInput } from '../domain/long-haul';
import {
  COMPENSATIONS,
  FORWARD_STEPS,
  HAUL_CHUNK_ACTIVITY,
  HAUL_CHUNK_STEP,
  type Compensation,
  type ForwardStep,
} from '../domain/steps';
import { cancelOrderUpdate } from '../workflows/definitions';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;
type Failure = temporal.api.failure.v1.IFailure;
type Payloads = temporal.api.common.v1.IPayloads;
const EventType = temporal.api.enums.v1.EventType;
const PendingState = temporal.api.enums.v1.PendingActivityState;

/**
 * - pending: not scheduled yet; scheduled: waiting for a worker to take it; running: a worker has it now;
 * - retrying: an attempt failed (or its worker vanished) and the next one waits for its backoff or a worker;
 * - completed / failed / cancelled: the activity is over.
 */
export type ActivityState = 'pending' | 'scheduled' | 'running' | 'retrying' | 'completed' | 'failed' | 'cancelled';
export type OrderRunState =
  'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT';

export interface ReasonFromServer {
  /** The ApplicationFailure type (PaymentDeclined, InvalidAddress...) or the kind of failure (timeout). */
  type?: string;
  message: string;
}

export interface PreviousAttempt {
  attempt: number;
  worker?: string;
  failure: ReasonFromServer;
}

/** A cancellation requested from outside the workflow (Web UI, `temporal workflow cancel`, an SDK client). */
export interface CancellationRequest {
  /** Who sent it, as the history records it: the CLI's or the Web UI's identity. */
  identity?: string;
  reason?: string;
  at?: string;
}

/** A long haul seen on the shipment step: its chunk activities come before createShipment itself. */
export interface HaulProgress {
  /** The chunk running now, or the last one done (1-based). */
  chunk: number;
  /** How far the haul has got: the chunk's last heartbeat, or the last chunk's result. */
  progressMs: number;
  totalMs: number;
}

export interface ObservedActivity {
  name: ForwardStep | Compensation;
  kind: 'step' | 'compensation';
  state: ActivityState;
  /** The attempt running now, or the last one. */
  attempt: number;
  /** Identity of the worker on the attempt (in progress or last): `<pid>@<host>` or `<requestId>@<functionArn>`. */
  worker?: string;
  scheduledAt?: string;
  finishedAt?: string;
  /** Why it failed for good, or why the previous attempt failed while it retries. */
  failure?: ReasonFromServer;
  /**
   * The attempt before this one, when it failed: its number, its worker (when the watcher saw it: the server keeps
   * only the latest worker) and why. History, not the current attempt's error.
   */
  previousAttempt?: PreviousAttempt;
  /** What the service said, for a compensation (`refunded 4200 cents`, `nothing to undo`); a haul's progress. */
  detail?: string;
  /** The shipment step of a long haul: its chunks so far (the step shows running until createShipment is done). */
  haul?: HaulProgress;
}

export interface OrderProgress {
  workflowId: string;
  runId?: string;
  orderId?: string;
  scenario?: Scenario;
  state: OrderRunState;
  startedAt?: string;
  closedAt?: string;
  /** The four forward steps, always in saga order (pending until scheduled). */
  steps: ObservedActivity[];
  /** Compensations, in the order they were scheduled. */
  compensations: ObservedActivity[];
  /** Why the order failed or was cancelled, as the workflow said. */
  failure?: ReasonFromServer;
  /** Set once a cancelOrder update was accepted (the validator let it through). */
  cancelRequested?: { reason: string };
  /** Set once the history holds WorkflowExecutionCancelRequested: a cancel sent from outside, and by whom. */
  cancellationRequest?: CancellationRequest;
  /** Events folded so far: the starter and console can tell "nothing new" apart cheaply. */
  eventCount: number;
}

function isoOf(ts: Parameters<typeof epochMsOf>[0]): string | undefined {
  const ms = epochMsOf(ts);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function firstPayload(payloads: Payloads | null | undefined): unknown {
  const payload = payloads?.payloads?.[0];
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined; // an encrypted or binary payload: progress does not need it
  }
}

/** The innermost failure that carries a business reason (activity failures wrap the service's own failure). */
export function reasonOf(failure: Failure | null | undefined): ReasonFromServer | undefined {
  if (!failure) return undefined;
  let current: Failure = failure;
  while (current.cause && !current.applicationFailureInfo) current = current.cause;
  if (current.applicationFailureInfo) {
    return { type: current.applicationFailureInfo.type || undefined, message: current.message ?? '' };
  }
  if (current.timeoutFailureInfo) return { type: 'Timeout', message: current.message || 'the attempt timed out' };
  if (current.canceledFailureInfo) return { type: 'Cancelled', message: current.message || 'cancelled' };
  return { message: current.message ?? 'failed' };
}

function isCompensation(name: string): name is Compensation {
  return (COMPENSATIONS as readonly string[]).includes(name);
}

function isForward(name: string): name is ForwardStep {
  return (FORWARD_STEPS as readonly string[]).includes(name);
}

/** `hauling: chunk 3, 8.0 of 18.0 s` while it runs; `hauled 18.0 s in 5 chunks` once createShipment is done. */
export function haulWords(haul: HaulProgress, done = false): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return done
    ? `hauled ${s(haul.totalMs)} s in ${haul.chunk} chunks`
    : `hauling: chunk ${haul.chunk}, ${s(haul.progressMs)} of ${s(haul.totalMs)} s`;
}

function withHaulProgress(activity: ObservedActivity, progressMs: number | undefined): ObservedActivity {
  if (!activity.haul || progressMs === undefined || progressMs < activity.haul.progressMs) return activity;
  const haul = { ...activity.haul, progressMs: Math.min(progressMs, activity.haul.totalMs) };
  return { ...activity, haul, detail: haulWords(haul) };
}

interface ActivityTrack extends ObservedActivity {
  activityId: string;
  /** Each attempt's worker as DescribeWorkflowExecution showed it: history keeps only the last attempt's. */
  workersByAttempt: Map<number, string>;
  /** A haulShipmentChunk standing in for the shipment step: its completion does not complete the step. */
  isHaulChunk?: boolean;
}

/** Adds the failed attempt before this one, with its worker when it was seen; attempt 1 has none. */
function withPreviousAttempt(
  activity: ObservedActivity,
  workersByAttempt: Map<number, string>,
  failure: ReasonFromServer | undefined,
): ObservedActivity {
  const attempt = activity.attempt - 1;
  if (attempt < 1 || !failure) return activity;
  const worker = workersByAttempt.get(attempt) ?? activity.previousAttempt?.worker;
  return { ...activity, previousAttempt: { attempt, failure, ...(worker && { worker }) } };
}

/** Folds history events, and optionally the current pending activities, into an order's progress. */
export class OrderProgressFold {
  private readonly byScheduledId = new Map<string, ActivityTrack>();
  private readonly byActivityId = new Map<string, ActivityTrack>();
  private readonly stepTracks = new Map<ForwardStep, ActivityTrack>();
  private readonly compensationTracks: ActivityTrack[] = [];
  private pending: PendingActivity[] = [];
  private base: Omit<OrderProgress, 'steps' | 'compensations' | 'state'> & { closed?: OrderRunState };

  constructor(workflowId: string) {
    this.base = { workflowId, eventCount: 0 };
  }

  get isClosed(): boolean {
    return this.base.closed !== undefined;
  }

  /** True while an activity is scheduled and not yet over: only then is DescribeWorkflowExecution worth asking. */
  get hasOpenActivity(): boolean {
    return [...this.byActivityId.values()].some((a) => ['scheduled', 'running', 'retrying'].includes(a.state));
  }

  apply(events: HistoryEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  /** DescribeWorkflowExecution's pending activities: the attempt in progress, its worker, the previous failure. */
  setPendingActivities(pending: PendingActivity[]): void {
    this.pending = pending;
    for (const p of pending) {
      const track = this.byActivityId.get(p.activityId ?? '');
      const attempt = p.attempt ?? 1;
      if (!track || !p.lastWorkerIdentity) continue;
      // Started: the worker has this attempt. Waiting for attempt N: the identity is still attempt N-1's.
      const started = p.state === PendingState.PENDING_ACTIVITY_STATE_STARTED;
      track.workersByAttempt.set(started ? attempt : attempt - 1, p.lastWorkerIdentity);
    }
  }

  snapshot(): OrderProgress {
    const overlay = (track: ActivityTrack): ObservedActivity => {
      const { activityId, workersByAttempt, isHaulChunk, ...tracked } = track;
      const pending = this.pending.find((p) => p.activityId === activityId);
      if (!pending || ['completed', 'failed', 'cancelled'].includes(track.state))
        return withPreviousAttempt(tracked, workersByAttempt, tracked.previousAttempt?.failure);
      // A chunk in flight heartbeats its checkpoint: the haul's progress between chunk completions.
      const heartbeat = isHaulChunk
        ? (firstPayload(pending.heartbeatDetails) as HaulCheckpoint | undefined)
        : undefined;
      const activity = withHaulProgress(tracked, heartbeat?.progressMs);
      const started = pending.state === PendingState.PENDING_ACTIVITY_STATE_STARTED;
      const lastFailure = reasonOf(pending.lastFailure);
      const attempt = pending.attempt || activity.attempt;
      const current: ObservedActivity = {
        ...activity,
        attempt,
        worker: started
          ? pending.lastWorkerIdentity || activity.worker
          : activity.worker || pending.lastWorkerIdentity || undefined,
        state: started ? 'running' : attempt > 1 ? 'retrying' : 'scheduled',
        failure: lastFailure ?? activity.failure,
      };
      return withPreviousAttempt(current, workersByAttempt, lastFailure ?? activity.previousAttempt?.failure);
    };
    const steps = FORWARD_STEPS.map((name): ObservedActivity => {
      const track = this.stepTracks.get(name);
      return track ? overlay(track) : { name, kind: 'step', state: 'pending', attempt: 0 };
    });
    const compensations = this.compensationTracks.map(overlay);
    const { closed, ...base } = this.base;
    const state = closed ?? (compensations.length > 0 ? 'COMPENSATING' : 'RUNNING');
    return { ...base, state, steps, compensations };
  }

  private track(scheduledEventId: unknown): ActivityTrack | undefined {
    return this.byScheduledId.get(String(scheduledEventId));
  }

  /** One handler per kind of event the progress depends on; other events only count. */
  private applyOne(event: HistoryEvent): void {
    this.base.eventCount++;
    const at = isoOf(event.eventTime);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        return this.workflowStarted(event, at);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        return this.activityScheduled(event, at);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        return this.activityStarted(event);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        return this.activityCompleted(event, at);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        return this.activityFailed(event, at);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        return this.activityTimedOut(event, at);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        return this.activityCancelled(event, at);
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        return this.updateAccepted(event);
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        return this.cancelRequested(event, at);
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        return this.close('COMPLETED', at);
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
        return this.workflowFailed(event, at);
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        return this.close('CANCELLED', at, { type: 'Cancelled', message: 'the workflow was cancelled' });
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        return this.close('TERMINATED', at, {
          type: 'Terminated',
          message: event.workflowExecutionTerminatedEventAttributes?.reason || 'terminated',
        });
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        return this.close('TIMED_OUT', at, { type: 'Timeout', message: 'the workflow timed out' });
      default:
        return;
    }
  }

  /** The order's id and scenario, from the workflow's input. */
  private workflowStarted(event: HistoryEvent, at: string | undefined): void {
    const attrs = event.workflowExecutionStartedEventAttributes;
    const order = firstPayload(attrs?.input) as { orderId?: unknown; scenario?: unknown } | undefined;
    this.base.runId = attrs?.originalExecutionRunId || undefined;
    this.base.startedAt = at;
    if (typeof order?.orderId === 'string') this.base.orderId = order.orderId;
    if (typeof order?.scenario === 'string') this.base.scenario = order.scenario as Scenario;
  }

  private activityScheduled(event: HistoryEvent, at: string | undefined): void {
    const attrs = event.activityTaskScheduledEventAttributes;
    const name = attrs?.activityType?.name ?? '';
    if (name === HAUL_CHUNK_ACTIVITY) {
      this.scheduleHaulChunk(String(event.eventId), attrs?.activityId ?? String(event.eventId), at, attrs?.input);
      return;
    }
    if (!isForward(name) && !isCompensation(name)) return;
    // After a haul, createShipment keeps the haul (and the haul's start) on the step.
    const hauled = isForward(name) ? this.stepTracks.get(name) : undefined;
    const haul = hauled?.haul;
    const track: ActivityTrack = {
      activityId: attrs?.activityId ?? String(event.eventId),
      name,
      kind: isForward(name) ? 'step' : 'compensation',
      state: 'scheduled',
      attempt: 1,
      scheduledAt: (haul && hauled?.scheduledAt) || at,
      workersByAttempt: new Map(),
      ...(haul && { haul, detail: haulWords(haul) }),
    };
    this.byScheduledId.set(String(event.eventId), track);
    this.byActivityId.set(track.activityId, track);
    if (isForward(name)) this.stepTracks.set(name, track);
    else this.compensationTracks.push(track);
  }

  /** With a retry policy the server writes this event only when the attempt ends, carrying its worker. */
  private activityStarted(event: HistoryEvent): void {
    const attrs = event.activityTaskStartedEventAttributes;
    const track = this.track(attrs?.scheduledEventId);
    if (!track) return;
    track.worker = attrs?.identity || track.worker;
    track.attempt = attrs?.attempt || track.attempt;
    if (track.state === 'scheduled') track.state = 'running';
    if (track.worker) track.workersByAttempt.set(track.attempt, track.worker);
    const lastFailure = reasonOf(attrs?.lastFailure);
    if (lastFailure) {
      track.failure = lastFailure;
      track.previousAttempt = { attempt: track.attempt - 1, failure: lastFailure };
    }
  }

  /** The receipt says which attempt and worker made the effect, and what the service said. */
  private activityCompleted(event: HistoryEvent, at: string | undefined): void {
    const attrs = event.activityTaskCompletedEventAttributes;
    const track = this.track(attrs?.scheduledEventId);
    if (!track) return;
    if (track.isHaulChunk) {
      this.completeHaulChunk(track, attrs?.identity, firstPayload(attrs?.result) as HaulCheckpoint | undefined);
      return;
    }
    const receipt = firstPayload(attrs?.result) as
      { worker?: string; attempt?: number; result?: { detail?: unknown } } | undefined;
    track.state = 'completed';
    track.finishedAt = at;
    track.worker = attrs?.identity || receipt?.worker || track.worker;
    if (typeof receipt?.attempt === 'number') track.attempt = receipt.attempt;
    if (typeof receipt?.result?.detail === 'string') track.detail = receipt.result.detail;
    else if (track.haul) track.detail = haulWords(track.haul, true);
    track.failure = undefined;
  }

  private activityFailed(event: HistoryEvent, at: string | undefined): void {
    const attrs = event.activityTaskFailedEventAttributes;
    const track = this.track(attrs?.scheduledEventId);
    if (!track) return;
    Object.assign(track, { state: 'failed', finishedAt: at, failure: reasonOf(attrs?.failure) });
    track.worker = attrs?.identity || track.worker;
  }

  private activityTimedOut(event: HistoryEvent, at: string | undefined): void {
    const attrs = event.activityTaskTimedOutEventAttributes;
    const track = this.track(attrs?.scheduledEventId);
    if (track) Object.assign(track, { state: 'failed', finishedAt: at, failure: reasonOf(attrs?.failure) });
  }

  private activityCancelled(event: HistoryEvent, at: string | undefined): void {
    const track = this.track(event.activityTaskCanceledEventAttributes?.scheduledEventId);
    if (track) Object.assign(track, { state: 'cancelled', finishedAt: at });
  }

  /** An accepted cancelOrder update: the validator let it through, so the order is being cancelled. */
  private updateAccepted(event: HistoryEvent): void {
    const input = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (input?.name !== cancelOrderUpdate.name) return;
    const request = firstPayload(input.args) as { reason?: unknown } | undefined;
    this.base.cancelRequested = { reason: cancelReason(request) };
  }

  /** A cancellation sent from outside the workflow, and by whom. */
  private cancelRequested(event: HistoryEvent, at: string | undefined): void {
    const attrs = event.workflowExecutionCancelRequestedEventAttributes;
    this.base.cancellationRequest = {
      identity: attrs?.identity || undefined,
      reason: attrs?.cause || undefined,
      at,
    };
  }

  /** The workflow ends a cancelled order with an OrderCancelled failure; any other failure failed it. */
  private workflowFailed(event: HistoryEvent, at: string | undefined): void {
    const reason = reasonOf(event.workflowExecutionFailedEventAttributes?.failure);
    this.close(reason?.type === OrderCancelled ? 'CANCELLED' : 'FAILED', at, reason);
  }

  /** A haul chunk becomes the shipment step's track: the step is running the haul, chunk after chunk. */
  private scheduleHaulChunk(
    eventId: string,
    activityId: string,
    at: string | undefined,
    input: Payloads | null | undefined,
  ) {
    const chunk = firstPayload(input) as HaulChunkInput | undefined;
    const before = this.stepTracks.get(HAUL_CHUNK_STEP);
    const haul: HaulProgress = {
      chunk: (before?.haul?.chunk ?? 0) + 1,
      progressMs: chunk?.checkpoint?.progressMs ?? before?.haul?.progressMs ?? 0,
      totalMs: chunk?.totalMs ?? before?.haul?.totalMs ?? 0,
    };
    const track: ActivityTrack = {
      activityId,
      name: HAUL_CHUNK_STEP,
      kind: 'step',
      state: 'scheduled',
      attempt: 1,
      // The step started with the haul's first chunk; a chunk's own worker shows while it runs.
      scheduledAt: before?.scheduledAt ?? at,
      worker: before?.worker,
      workersByAttempt: new Map(),
      isHaulChunk: true,
      haul,
      detail: haulWords(haul),
    };
    this.byScheduledId.set(eventId, track);
    this.byActivityId.set(activityId, track);
    this.stepTracks.set(HAUL_CHUNK_STEP, track);
  }

  /** A chunk done is not the step done: it stays running (between chunks, on the last chunk's worker). */
  private completeHaulChunk(track: ActivityTrack, identity: string | null | undefined, result?: HaulCheckpoint) {
    track.state = 'running';
    track.worker = identity || track.worker;
    track.failure = undefined;
    if (track.haul && typeof result?.progressMs === 'number') {
      track.haul = { ...track.haul, progressMs: Math.min(result.progressMs, track.haul.totalMs) };
      track.detail = haulWords(track.haul);
    }
  }

  private close(state: OrderRunState, at: string | undefined, failure?: ReasonFromServer): void {
    this.base.closed = state;
    this.base.closedAt = at;
    if (failure) this.base.failure = failure;
    this.pending = [];
  }
}

/** One-shot: the progress that these events (and pending activities) describe. */
export function progressFromHistory(
  workflowId: string,
  events: HistoryEvent[],
  pending: PendingActivity[] = [],
): OrderProgress {
  const fold = new OrderProgressFold(workflowId);
  fold.apply(events);
  fold.setPendingActivities(pending);
  return fold.snapshot();
}
