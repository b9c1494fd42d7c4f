/**
 * The ShopFlow Lambda worker: the same workflows, activities, task queue and deployment version as `npm run worker`,
 * in the shape of @temporalio/lambda-worker's `runWorker`. ShopFlow's runWorker (./run-worker.ts) adds one thing a
 * customer pays for: an invocation stops as soon as nothing is left to do, instead of polling until its deadline.
 */

import path from 'node:path';
import { createDefaultActivities } from '../activities';
import { loadShopFlowEnvironment } from '../config/environment';
import { shopFlowWorkerOptions } from '../worker/worker-options';
import { packagedVersion } from './build-info';
import { runWorker } from './run-worker';

const environment = loadShopFlowEnvironment();

export const handler = runWorker(packagedVersion(__dirname, environment.version), (config) => {
  Object.assign(
    config.workerOptions,
    shopFlowWorkerOptions({
      // ShopFlow's queue, unless the function's TEMPORAL_TASK_QUEUE names another (as runWorker reads it).
      taskQueue: config.workerOptions.taskQueue,
      // The workflow bundle is built with the package and ships beside this file.
      workflows: { workflowBundle: { codePath: path.join(__dirname, 'workflow-bundle.js') } },
      activities: createDefaultActivities(environment, config.invocationIdentity),
    }),
  );
});
