/**
 * The idle-cost baseline: the same ShopFlow workflows and activities run by the official
 * `@temporalio/lambda-worker` `runWorker`, which polls until the deadline whatever the workload. Only the
 * benchmark packages it (`buildLambdaPackage({ entry })`); it never ships.
 */

import type { Context } from 'aws-lambda';
import { runWorker } from '@temporalio/lambda-worker';
import { loadShopFlowEnvironment } from '../../../config/environment';
import { readBuildInfo } from '../../../lambda/build-info';
import { packagedWorkerOptions } from '../../../lambda/packaged-worker-options';

const environment = loadShopFlowEnvironment();
const info = readBuildInfo(__dirname);
const version = info ? { deploymentName: info.deploymentName, buildId: info.buildId } : environment.version;
let identity = 'official-lambda';

const officialHandler = runWorker(version, (config) => {
  const { taskQueue } = config.workerOptions;
  Object.assign(
    config.workerOptions,
    packagedWorkerOptions({ packageDir: __dirname, environment, identity: () => identity, taskQueue }),
  );
});

/** Records the invocation's identity for the activities' receipts, as ShopFlow's own handler does. */
export async function handler(event: unknown, context: Context): Promise<void> {
  identity = `${context.awsRequestId}@${context.invokedFunctionArn}`;
  await officialHandler(event, context);
}
