/**
 * The idle-cost baseline: the same ShopFlow workflows and activities run by the official
 * `@temporalio/lambda-worker` `runWorker`, which polls until the deadline whatever the workload. Only the
 * benchmark packages it (`buildLambdaPackage({ entry })`); it never ships.
 */

import path from 'node:path';
import type { Context } from 'aws-lambda';
import { runWorker } from '@temporalio/lambda-worker';
import { createDefaultActivities } from '../../activities';
import { loadShopFlowEnvironment } from '../../config/environment';
import { readBuildInfo } from '../../lambda/build-info';
import { shopFlowWorkerOptions } from '../../worker/worker-options';

const environment = loadShopFlowEnvironment();
const info = readBuildInfo(__dirname);
const version = info ? { deploymentName: info.deploymentName, buildId: info.buildId } : environment.version;
let identity = 'official-lambda';

const officialHandler = runWorker(version, (config) => {
  Object.assign(
    config.workerOptions,
    shopFlowWorkerOptions({
      activities: createDefaultActivities(environment, () => identity),
      workflows: { workflowBundle: { codePath: path.join(__dirname, 'workflow-bundle.js') } },
      taskQueue: config.workerOptions.taskQueue,
    }),
  );
});

/** Records the invocation's identity for the activities' receipts, as ShopFlow's own handler does. */
export async function handler(event: unknown, context: Context): Promise<void> {
  identity = `${context.awsRequestId}@${context.invokedFunctionArn}`;
  await officialHandler(event, context);
}
