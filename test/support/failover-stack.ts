/**
 * A laptop and the cloud, on one machine: the Lambda package built, deployed to the local Lambda service and
 * registered as the Current Version, and a local worker of the same version with activities over a ledger of its
 * own choosing. Stopping the local worker mid-order hands the rest of the order to the Lambda (failover).
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createDefaultActivities } from '../../activities';
import type { LedgerConfig } from '../../config/ledger-config';
import { deployTestFunction } from './shopflow-function';
import { buildLambdaPackage } from '../../machinery/deployment/lambda-package';
import { registerLambda } from '../../machinery/deployment/lambda-registration';
import { localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { shopFlowWorkerOptions, versioningOptions } from '../../worker/worker-options';
import { localLambdaClient } from './function-zips';
import { testEnv } from './test-env';
import { uniqueName } from './test-worker';

export interface FailoverStack {
  client: Client;
  taskQueue: string;
  version: WorkerDeploymentVersion;
  localIdentity: string;
  /** Stops the local worker as a laptop going away does: what it was running is retried, on the Lambda. */
  stopLocalWorker(): Promise<void>;
  close(): Promise<void>;
}

async function busyEnvironments(functionName: string): Promise<number> {
  const all = (await (await fetch(`${testEnv('lambdaEndpoint')}/local/environments`)).json()) as {
    functionName: string;
    environments: { state: string }[];
  }[];
  const mine = all.find((f) => f.functionName === functionName)?.environments ?? [];
  return mine.filter((e) => e.state === 'busy' || e.state === 'starting').length;
}

export async function startFailoverStack(options: {
  dir: string;
  /** The ledger of the local worker (the laptop). */
  localLedger: LedgerConfig;
  /** The Lambda function's ledger variables (SHOPFLOW_JOURNAL or SHOPFLOW_LEDGER and its AWS_* settings). */
  lambdaEnvironment: Record<string, string>;
}): Promise<FailoverStack> {
  const version = { deploymentName: uniqueName('shopflow-failover'), buildId: 'failover-1' };
  const taskQueue = uniqueName('shopflow-failover');
  const functionName = uniqueName('shopflow-worker');
  const built = await buildLambdaPackage({
    arch: 'x86_64',
    includeCerts: false,
    outFile: path.join(options.dir, 'function.zip'),
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: version.deploymentName, SHOPFLOW_BUILD_ID: version.buildId },
  });
  const lambda = localLambdaClient(testEnv('lambdaEndpoint'));
  const deployed = await deployTestFunction(lambda, {
    functionName,
    zipFile: built.outFile,
    architecture: 'x86_64',
    taskQueue,
    environment: { SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '2000', ...options.lambdaEnvironment },
  });
  lambda.destroy();
  const connection = await NativeConnection.connect({ address: testEnv('address') });
  await registerLambda({
    connection,
    namespace: 'default',
    version,
    target: localLambdaTarget(deployed.FunctionArn!),
    identity: 'failover-test',
    makeCurrent: true,
  });
  // Registering invokes the function once; let it idle out, or it could take the laptop's first tasks.
  for (let i = 0; i < 100 && (await busyEnvironments(functionName)) === 0; i++) await sleep(100);
  for (let i = 0; i < 300 && (await busyEnvironments(functionName)) > 0; i++) await sleep(100);

  const localIdentity = `${process.pid}@laptop`;
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    identity: localIdentity,
    ...shopFlowWorkerOptions({
      activities: createDefaultActivities({ ledger: options.localLedger, latencyScale: 0 }, () => localIdentity),
      workflows: { workflowBundle: { codePath: testEnv('bundle') } },
      taskQueue,
    }),
    workerDeploymentOptions: versioningOptions(version),
    shutdownGraceTime: 0,
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address: testEnv('address') });
  const client = new Client({ connection: clientConnection, namespace: 'default' });
  let stopped = false;
  const stopLocalWorker = async () => {
    if (stopped) return;
    stopped = true;
    worker.shutdown();
    await running;
  };
  return {
    client,
    taskQueue,
    version,
    localIdentity,
    stopLocalWorker,
    close: async () => {
      await stopLocalWorker();
      await client.connection.close();
      await connection.close();
      fs.rmSync(path.join(options.dir, `lambda-x86_64`), { recursive: true, force: true });
    },
  };
}
