/**
 * What every benchmark section runs against: one real Temporal dev server (worker controller on) and one local
 * Lambda service, started once per run so that every comparison is made on the same server, side by side.
 */

import fs from 'node:fs';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Stage } from '../devstack/stage';
import { startLocalLambda, type LocalLambda } from '../lambda-local/local-lambda';
import { localLambdaEnvironment, startDevServer } from '../devstack/dev-server';
import { localAwsClient } from '../devstack/local-aws-clients';
import { freePort } from '../devstack/ports';
import { LAMBDA_RUNTIME } from '../deployment/lambda-deployment';
import { ensureRuntimeNode } from '../devstack/runtime-node';
import { ensureTemporalCli } from '../devstack/temporal-cli';

export interface BenchStack {
  address: string;
  workDir: string;
  lambda: LocalLambda;
  lambdaClient: LambdaClient;
  native: NativeConnection;
  client: Client;
  stage: Stage;
  log: (line: string) => void;
  /** Added to every bench function's environment (for example a lifecycle setting measured against its default). */
  functionEnvironment: Record<string, string>;
}

export async function startBenchStack(
  workDir: string,
  stage: Stage,
  log: (line: string) => void,
  functionEnvironment: Record<string, string> = {},
  lambdaNode: 'runtime' | 'host' = 'runtime',
): Promise<BenchStack> {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const cli = ensureTemporalCli(log);
  // Lambda's real account limit is 1,000; 40 is enough that a burst's invocations never queue behind each other here.
  // Environments run the functions' runtime's own Node (nodejs22.x: Node 22), as Lambda would, not the host's.
  const lambda = await startLocalLambda({
    stateDir: path.join(workDir, 'lambda-local'),
    port: 0,
    accountConcurrency: 40,
    runtimeNode: lambdaNode === 'runtime',
    log,
  });
  // Installed now, not at the first cold start, which it would then slow down.
  if (lambdaNode === 'runtime') ensureRuntimeNode(LAMBDA_RUNTIME, log);
  stage.own('local Lambda service', () => lambda.close());
  const port = await freePort();
  log(`starting a Temporal dev server on 127.0.0.1:${port} and the local Lambda service on ${lambda.endpoint}...`);
  const server = await startDevServer({
    cli,
    port,
    logFile: path.join(workDir, 'dev-server.log'),
    env: localLambdaEnvironment(lambda.endpoint, {}),
  });
  stage.own('Temporal dev server', () => server.stop());
  const lambdaClient = localAwsClient(LambdaClient, lambda.endpoint);
  stage.own('Lambda client', () => lambdaClient.destroy());
  const native = await NativeConnection.connect({ address: server.address });
  stage.own('worker connection', () => native.close());
  const client = new Client({
    connection: await Connection.connect({ address: server.address }),
    namespace: 'default',
  });
  stage.own('client', () => client.connection.close());
  return { address: server.address, workDir, lambda, lambdaClient, native, client, stage, log, functionEnvironment };
}
