/**
 * The idle-cost baseline: the same ShopFlow workflows and activities run by the official
 * `@temporalio/lambda-worker` `runWorker`, which polls until the deadline whatever the workload. Only the
 * benchmark packages it (`buildLambdaPackage({ entry })`); it never ships.
 */

import type { Context } from 'aws-lambda';
import { runWorker } from '@temporalio/lambda-worker';
import path from 'node:path';
import { createDefaultActivities } from '../../../activities';
import { loadShopFlowEnvironment } from '../../../config/environment';
import { packagedVersion } from '../../../lambda/build-info';
import { shopFlowWorkerOptions } from '../../../worker/worker-options';

const environment = loadShopFlowEnvironment();
let identity = 'official-lambda';

// The same configure as lambda/handler.ts, handed to the official runWorker.
const officialHandler = runWorker(packagedVersion(__dirname, environment.version), (config) => {
  Object.assign(
    config.workerOptions,
    shopFlowWorkerOptions({
      taskQueue: config.workerOptions.taskQueue,
      workflows: { workflowBundle: { codePath: path.join(__dirname, 'workflow-bundle.js') } },
      activities: createDefaultActivities(environment, () => identity),
    }),
  );
});

/** Records the invocation's identity for the activities' receipts, as ShopFlow's own handler does. */
export async function handler(event: unknown, context: Context): Promise<void> {
  identity = `${context.awsRequestId}@${context.invokedFunctionArn}`;
  await officialHandler(event, context);
}
