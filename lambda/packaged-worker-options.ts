/** The worker options of a Lambda package: ShopFlow's activities, and the workflow bundle that ships beside the handler. */

import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import { createDefaultActivities } from '../activities';
import type { ShopFlowEnvironment } from '../config/environment';
import { shopFlowWorkerOptions } from '../worker/worker-options';

export function packagedWorkerOptions(options: {
  packageDir: string;
  environment: ShopFlowEnvironment;
  /** The invocation's identity, for the activities' receipts; it changes with every invocation. */
  identity: () => string;
  taskQueue?: string;
}): Partial<WorkerOptions> {
  return shopFlowWorkerOptions({
    activities: createDefaultActivities(options.environment, options.identity),
    workflows: { workflowBundle: { codePath: path.join(options.packageDir, 'workflow-bundle.js') } },
    taskQueue: options.taskQueue,
  });
}
