/**
 * Decides when a Lambda worker has been idle long enough to stop. Activities are counted exactly by an
 * interceptor; workflow activations are sampled from the worker's status (they are short, and every one that
 * matters schedules an activity or is followed by another activation).
 */

import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

export interface InFlightSource {
  getStatus(): { numInFlightActivities: number; numInFlightWorkflowActivations: number };
}

export class IdleMonitor {
  private activeActivities = 0;
  private lastBusyAt: number;
  /** Tasks seen (activity executions started): reported when the invocation ends. */
  activitiesStarted = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.lastBusyAt = now();
  }

  /** An activity interceptor factory that keeps the monitor informed. */
  activityInterceptor(): () => { inbound: ActivityInboundCallsInterceptor } {
    return () => ({
      inbound: {
        execute: async (input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) => {
          this.activeActivities++;
          this.activitiesStarted++;
          this.lastBusyAt = this.now();
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

  /** Resolves once nothing has been in flight for `idleMs`, checking every `pollMs`. */
  whenIdle(worker: InFlightSource, idleMs: number, pollMs = 100): { promise: Promise<void>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<void>((resolve) => {
      timer = setInterval(() => {
        const status = worker.getStatus();
        if (this.activeActivities > 0 || status.numInFlightActivities > 0 || status.numInFlightWorkflowActivations > 0) {
          this.lastBusyAt = this.now();
        } else if (this.now() - this.lastBusyAt >= idleMs) {
          clearInterval(timer);
          resolve();
        }
      }, pollMs);
    });
    return { promise, cancel: () => clearInterval(timer) };
  }
}
