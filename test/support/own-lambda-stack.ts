/**
 * A test file's own serverless stack: a dev server and local Lambda service of its own (for options the shared one
 * cannot take), the real package built for `version`, deployed and registered as the version's compute, current.
 */

import path from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { buildLocalLambdaPackage } from '../../machinery/deployment/lambda-package';
import { registerLambda } from '../../machinery/deployment/lambda-registration';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../machinery/devstack/local-stack';
import type { Stage } from '../../machinery/devstack/stage';
import { localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { deployTestFunction } from './shopflow-function';

export interface OwnLambdaStack {
  stack: LocalStack;
  native: NativeConnection;
  functionArn: string;
}

export async function startOwnLambdaStack(options: {
  dir: string;
  stage: Stage;
  version: WorkerDeploymentVersion;
  functionName: string;
  taskQueue: string;
  identity: string;
  lambda?: LocalStackOptions['lambda'];
  log?: (line: string) => void;
}): Promise<OwnLambdaStack> {
  const { dir, stage, version } = options;
  const stack = await startLocalStack({
    workDir: path.join(dir, 'stack'),
    own: (name, stop) => stage.own(name, stop),
    log: options.log ?? (() => {}),
    lambda: options.lambda,
  });
  const built = await buildLocalLambdaPackage({
    includeCerts: false,
    outFile: path.join(dir, 'function.zip'),
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: version.deploymentName, SHOPFLOW_BUILD_ID: version.buildId },
  });
  const deployed = await deployTestFunction(stack.lambdaClient, {
    functionName: options.functionName,
    zipFile: built.outFile,
    architecture: built.info.architecture,
    taskQueue: options.taskQueue,
    environment: {
      TEMPORAL_ADDRESS: stack.server.address, // this stack's dev server, not the run's
      SHOPFLOW_JOURNAL: path.join(dir, 'journal.jsonl'),
      SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '2000',
    },
  });
  const native = await stack.connectWorker();
  await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: localLambdaTarget(deployed.FunctionArn!),
    identity: options.identity,
    makeCurrent: true,
  });
  return { stack, native, functionArn: deployed.FunctionArn! };
}
