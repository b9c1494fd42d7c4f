/**
 * Decides when a Lambda worker has been idle long enough to stop, and counts the tasks it ran. Activities are
 * counted exactly by an interceptor; workflow activations exactly from the worker's in-flight activation count
 * when the worker exposes it (the SDK's Worker does), else sampled from its status.
 */

import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

export interface InFlightSource {
  getStatus(): { numInFlightActivities: number; numInFlightWorkflowActivations: number };
  /** Emits the number of workflow activations in flight at every change (the SDK Worker's Observable). */
  readonly numInFlightActivations$?: { subscribe(next: (inFlight: number) => void): { unsubscribe(): void } };
}

export class IdleMonitor {
  private activeActivities = 0;
  private activeActivations = 0;
  private lastBusyAt: number;
  private startedAt: number;
  /** Tasks seen (activity executions started): reported when the invocation ends. */
  activitiesStarted = 0;
  /** Workflow activations started (workflow tasks, including cache evictions after them). */
  workflowActivations = 0;
  /** When the first task of either kind started, in ms after the worker started (`whenIdle`); undefined until then. */
  firstTaskAfterMs?: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
    this.lastBusyAt = this.startedAt;
  }

  get tasksStarted(): number {
    return this.activitiesStarted + this.workflowActivations;
  }

  private taskStarted(): void {
    this.lastBusyAt = this.now();
    this.firstTaskAfterMs ??= this.lastBusyAt - this.startedAt;
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
            this.lastBusyAt = this.now();
          }
        },
      },
    });
  }

  /** Counts workflow activations as they start; returns the function that stops watching. */
  watchWorkflowActivations(worker: InFlightSource): () => void {
    const subscription = worker.numInFlightActivations$?.subscribe((inFlight) => {
      if (inFlight > this.activeActivations) {
        this.workflowActivations += inFlight - this.activeActivations;
        this.taskStarted();
      } else {
        this.lastBusyAt = this.now();
      }
      this.activeActivations = inFlight;
    });
    return () => subscription?.unsubscribe();
  }

  /**
   * Resolves once nothing has been in flight for `idleMs`, checking every `pollMs`. Before the first task the
   * wait is `firstTaskGraceMs` instead (counted from the start): an invocation that found nothing to do gives up
   * sooner than one that just finished work, since work that was waiting for it is handed out at the first poll.
   * It never gives up before `noTaskExitNotBefore` (epoch ms), though: see ShopFlowLambdaConfig.scaleUpCooloffMs.
   */
  whenIdle(
    worker: InFlightSource,
    idleMs: number,
    options: { pollMs?: number; firstTaskGraceMs?: number; noTaskExitNotBefore?: number } = {},
  ): { promise: Promise<'idle' | 'no-task'>; cancel(): void } {
    const pollMs = options.pollMs ?? 100;
    // The worker starts polling now: creating it (loading the workflow bundle) is not time spent waiting for work.
    if (this.firstTaskAfterMs === undefined) this.startedAt = this.lastBusyAt = this.now();
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<'idle' | 'no-task'>((resolve) => {
      timer = setInterval(() => {
        const status = worker.getStatus();
        const busy = this.activeActivities > 0 || this.activeActivations > 0;
        if (busy || status.numInFlightActivities > 0 || status.numInFlightWorkflowActivations > 0) {
          this.taskStarted(); // sampled, for a worker without the activation Observable
          return;
        }
        const noTaskYet = this.firstTaskAfterMs === undefined;
        const waitMs = noTaskYet && options.firstTaskGraceMs ? Math.min(options.firstTaskGraceMs, idleMs) : idleMs;
        const heldOpen = noTaskYet && this.now() < (options.noTaskExitNotBefore ?? 0);
        if (this.now() - this.lastBusyAt >= waitMs && !heldOpen) {
          clearInterval(timer);
          resolve(noTaskYet ? 'no-task' : 'idle');
        }
      }, pollMs);
    });
    return { promise, cancel: () => clearInterval(timer) };
  }
}
