/**
 * The next build, shipped live: the demo's act 5 and the presenter console's "Ship the next build" button both go
 * through here. The build id after the current one (v2 -> v3), built with the release features the next build
 * carries (config/release-features), then `redeploy`: guard, publish a Lambda version, register it, make it current.
 */

import path from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ConnectionLike } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NEXT_RELEASE_FEATURES, type ReleaseFeature } from '../../config/release-features';
import { hostArchitecture } from '../../config/lambda-architecture';
import { buildLambdaPackage } from './lambda-package';
import { redeploy, type RedeployResult } from './redeploy';
import { RedeployRefusedError } from './redeploy-guard';
import { nextBuildId } from './version-label';

export interface NextRelease {
  /** The version it follows (orders in flight stay on it) and its own. */
  current: WorkerDeploymentVersion;
  version: WorkerDeploymentVersion;
  zipFile: string;
  releaseFeatures: readonly ReleaseFeature[];
  buildSeconds: number;
}

/** The deployment's Current Version, from the server (describe: no worker involved). */
export async function currentVersion(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  deploymentName: string,
): Promise<WorkerDeploymentVersion> {
  const { workerDeploymentInfo } = await connection.workflowService
    .describeWorkerDeployment({ namespace, deploymentName })
    .catch(() => ({ workerDeploymentInfo: undefined }));
  const buildId = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId;
  if (!buildId) {
    throw new RedeployRefusedError(
      `worker deployment ${deploymentName} has no Current Version to follow: deploy and register the first build ` +
        '(npm run deploy:lambda -- --publish, then npm run register:lambda)',
    );
  }
  return { deploymentName, buildId };
}

/** Builds the package of the build id after `current` into `dir`, with the next release's features. */
export async function buildNextRelease(options: {
  current: WorkerDeploymentVersion;
  dir: string;
  log: (line: string) => void;
  /** The build's own steps (bundling, zipping); default: not shown. */
  buildLog?: (line: string) => void;
}): Promise<NextRelease> {
  const { current, dir, log } = options;
  const version = { deploymentName: current.deploymentName, buildId: nextBuildId(current.buildId) };
  const zipFile = path.join(dir, `function-${version.buildId}.zip`);
  const features = NEXT_RELEASE_FEATURES;
  log(
    `building ${version.buildId} (npm run build:lambda with SHOPFLOW_BUILD_ID=${version.buildId}` +
      ` SHOPFLOW_RELEASE_FEATURES=${features.join(',')})...`,
  );
  const started = Date.now();
  await buildLambdaPackage({
    arch: hostArchitecture(process.arch),
    includeCerts: false,
    outFile: zipFile,
    env: { ...process.env, SHOPFLOW_BUILD_ID: version.buildId, SHOPFLOW_DEPLOYMENT_NAME: version.deploymentName },
    releaseFeatures: features,
    log: options.buildLog && ((line) => options.buildLog!(line.trim())),
  });
  return { current, version, zipFile, releaseFeatures: features, buildSeconds: (Date.now() - started) / 1000 };
}

/** `npm run redeploy` of a built release: the guard first, then publish, register and make it current. */
export function shipRelease(options: {
  release: NextRelease;
  lambda: LambdaClient;
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  functionName: string;
  identity: string;
  log: (line: string) => void;
}): Promise<RedeployResult> {
  const { release, log } = options;
  log(`npm run redeploy -- --function ${options.functionName}   (SHOPFLOW_BUILD_ID=${release.version.buildId})`);
  return redeploy({
    lambda: options.lambda,
    connection: options.connection,
    namespace: options.namespace,
    functionName: options.functionName,
    zipFile: release.zipFile,
    skipBuild: true,
    identity: options.identity,
    log,
  });
}
