/** The worker options every ShopFlow worker shares, local or Lambda: same queue, code and deployment version. */

import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import { HEARTBEAT_THROTTLE_MS, TASK_QUEUE } from '../config/settings';
import type { OrderActivities } from '../domain/activity-contract';

export type WorkflowSource = { workflowsPath: string } | { workflowBundle: { codePath: string } | { code: string } };

export function workflowsSourcePath(): string {
  return require.resolve('../workflows');
}

export function versioningOptions(
  version: WorkerDeploymentVersion,
): NonNullable<WorkerOptions['workerDeploymentOptions']> {
  // PINNED: an order finishes on the build that started it, wherever that build runs (local process or Lambda).
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' };
}

export function shopFlowWorkerOptions(options: {
  activities: OrderActivities;
  workflows: WorkflowSource;
  /** Defaults to TASK_QUEUE; the Lambda passes TEMPORAL_TASK_QUEUE when its environment sets one. */
  taskQueue?: string;
}): Pick<
  WorkerOptions,
  'taskQueue' | 'activities' | 'workflowsPath' | 'workflowBundle' | 'maxHeartbeatThrottleInterval'
> {
  return {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    // Every heartbeat's progress reaches the server, so a retry resumes within one interval (settings.ts says why).
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE_MS,
    activities: options.activities as unknown as WorkerOptions['activities'],
    ...options.workflows,
  };
}
