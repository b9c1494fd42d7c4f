/**
 * Watches a Lambda worker until it has been idle long enough to stop (the rules are in exit-rule.ts), and counts
 * the tasks it ran. Activities are counted exactly by an interceptor; workflow activations exactly from the
 * worker's in-flight activation count when the worker exposes it (the SDK's Worker does), else sampled from its
 * status; the workflow cache is sampled from its status.
 */

import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { exitReason, type IdleStopReason } from './exit-rule';

export interface InFlightSource {
  getStatus(): { numInFlightActivities: number; numInFlightWorkflowActivations: number; numCachedWorkflows: number };
  /** Emits the number of workflow activations in flight at every change (the SDK Worker's Observable). */
  readonly numInFlightActivations$?: { subscribe(next: (inFlight: number) => void): { unsubscribe(): void } };
}

export class IdleMonitor {
  private activeActivities = 0;
  private activeActivations = 0;
  private lastBusyAt: number;
  private startedAt: number;
  private cacheLastOccupiedAt: number;
  private lastActivityEndedAt?: number;
  private lastActivationEndedAt?: number;
  private watchingActivations = false;
  /** Tasks seen (activity executions started): reported when the invocation ends. */
  activitiesStarted = 0;
  /** Workflow activations started (workflow tasks, including cache evictions after them). */
  workflowActivations = 0;
  /** When the first task of either kind started, in ms after the worker started (`whenIdle`); undefined until then. */
  firstTaskAfterMs?: number;
  /** When the first task of either kind started (the monitor's clock: epoch ms by default). */
  firstTaskAt?: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
    this.lastBusyAt = this.cacheLastOccupiedAt = this.startedAt;
  }

  get tasksStarted(): number {
    return this.activitiesStarted + this.workflowActivations;
  }

  /**
   * Whether a workflow may still owe this worker a task on its sticky queue although the cache is empty. The SDK
   * counts cached workflows but does not name them, so this is judged by order: an activity that ended after the
   * last workflow activation has not seen its workflow's next task come here. If this worker ran no workflow
   * activation, that workflow was never cached here and its next task goes to the normal queue (the controller
   * invokes for it): not owed. If it did, the workflow may have been cached here and evicted while the activity ran,
   * and the server still sends its next task to this worker's sticky queue: owed, so the full idle exit is kept
   * (at worst a wait we had before). Without the activation stream, every finished activity counts as owed.
   */
  get taskOwed(): boolean {
    if (this.lastActivityEndedAt === undefined) return false;
    if (!this.watchingActivations) return true;
    return this.workflowActivations > 0 && this.lastActivityEndedAt >= (this.lastActivationEndedAt ?? 0);
  }

  private taskStarted(): void {
    this.lastBusyAt = this.now();
    this.firstTaskAfterMs ??= this.lastBusyAt - this.startedAt;
    this.firstTaskAt ??= this.lastBusyAt;
  }

  /** An activity interceptor factory that keeps the monitor informed. */
  activityInterceptor(): () => { inbound: ActivityInboundCallsInterceptor } {
    return () => ({
      inbound: {
        execute: async (input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) => {
          this.activeActivities++;
          this.activitiesStarted++;
          this.taskStarted();
          try {
            return await next(input);
          } finally {
            this.activeActivities--;
            this.lastBusyAt = this.lastActivityEndedAt = this.now();
          }
        },
      },
    });
  }

  /** Counts workflow activations as they start; returns the function that stops watching. */
  watchWorkflowActivations(worker: InFlightSource): () => void {
    this.watchingActivations = worker.numInFlightActivations$ !== undefined;
    const subscription = worker.numInFlightActivations$?.subscribe((inFlight) => {
      if (inFlight > this.activeActivations) {
        this.workflowActivations += inFlight - this.activeActivations;
        this.taskStarted();
      } else {
        this.lastBusyAt = this.lastActivationEndedAt = this.now();
      }
      this.activeActivations = inFlight;
    });
    return () => subscription?.unsubscribe();
  }

  /**
   * Resolves once the worker may stop (exit-rule.ts), checking every `pollMs`: after work, once nothing has been in
   * flight for `idleMs`, or for `emptyCacheMs` when the workflow cache is empty and no task is owed; before the
   * first task, after `firstTaskGraceMs` instead (counted from the start): an invocation that found nothing to do
   * gives up sooner, since work that was waiting for it is handed out at the first poll. It never stops before
   * `exitNotBefore` (epoch ms), though: see ShopFlowLambdaConfig.scaleUpCooloffMs.
   */
  whenIdle(
    worker: InFlightSource,
    idleMs: number,
    options: { pollMs?: number; firstTaskGraceMs?: number; emptyCacheMs?: number; exitNotBefore?: number } = {},
  ): { promise: Promise<IdleStopReason>; cancel(): void } {
    const pollMs = options.pollMs ?? 100;
    // The worker starts polling now: creating it (loading the workflow bundle) is not time spent waiting for work.
    if (this.firstTaskAfterMs === undefined) this.startedAt = this.lastBusyAt = this.cacheLastOccupiedAt = this.now();
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<IdleStopReason>((resolve) => {
      timer = setInterval(() => {
        const status = worker.getStatus();
        const busy = this.activeActivities > 0 || this.activeActivations > 0;
        if (busy || status.numInFlightActivities > 0 || status.numInFlightWorkflowActivations > 0) {
          this.taskStarted(); // sampled, for a worker without the activation Observable
          return;
        }
        const now = this.now();
        if (status.numCachedWorkflows > 0) this.cacheLastOccupiedAt = now;
        const reason = exitReason(
          {
            now,
            lastBusyAt: this.lastBusyAt,
            taskSeen: this.firstTaskAfterMs !== undefined,
            cachedWorkflows: status.numCachedWorkflows,
            cacheLastOccupiedAt: this.cacheLastOccupiedAt,
            taskOwed: this.taskOwed,
          },
          { idleMs, ...options },
        );
        if (reason) {
          clearInterval(timer);
          resolve(reason);
        }
      }, pollMs);
    });
    return { promise, cancel: () => clearInterval(timer) };
  }
}
