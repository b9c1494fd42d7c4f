/**
 * The redeploy guard as register:lambda applies it: the workflow hash of the version being registered comes from
 * its label (GetFunction), and the histories replay on the package at hand when the workflow-bundle.js in it hashes
 * to that same sha256 (computed from the zip, not read from its build-info.json).
 */

import fs from 'node:fs';
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ConnectionLike } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { PackageMismatchError, packageWorkflow } from './package-workflow';
import { checkBuildIdReuse, RedeployRefusedError } from './redeploy-guard';
import { parseVersionDescription } from './version-label';

export async function guardRegistration(options: {
  lambda: LambdaClient;
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  version: WorkerDeploymentVersion;
  functionArn: string;
  allowLatest: boolean;
  /** A package that may hold the same workflow bundle, to replay the recorded histories on. */
  zipFile?: string;
  historiesDir?: string;
}): Promise<string> {
  const { Configuration } = await options.lambda.send(new GetFunctionCommand({ FunctionName: options.functionArn }));
  const sha = parseVersionDescription(Configuration?.Description)?.workflowBundleSha256;
  let bundle: string | undefined;
  if (sha && options.zipFile && fs.existsSync(options.zipFile)) {
    // The bundle in the zip, hashed here: a package whose build-info.json disagrees with it is refused.
    const workflow = await packageWorkflow(options.zipFile).catch((err: Error) => {
      throw err instanceof PackageMismatchError ? new RedeployRefusedError(err.message) : err;
    });
    if (workflow.workflowBundleSha256 === sha) bundle = workflow.bundle?.toString('utf8');
  }
  const verdict = await checkBuildIdReuse({
    ...options,
    workflowBundleSha256: sha,
    workflowBundleCode: bundle,
    allowUnknownWorkflow: options.allowLatest,
  });
  switch (verdict.kind) {
    case 'new-build-id':
      return `${options.version.buildId} is a new build id`;
    case 'no-lambda-yet':
      return `${options.version.buildId} has no Lambda registered yet`;
    case 'unknown-workflow-allowed':
      return `the workflow code of ${verdict.registeredArn} cannot be compared; allowed by --allow-latest`;
    case 'same-workflow':
      return (
        `same workflow code as ${verdict.registeredArn}` +
        (bundle
          ? `; the ${verdict.historiesReplayed} recorded histories replay on it`
          : `; histories not replayed (no package with this bundle at ${options.zipFile})`)
      );
  }
}
