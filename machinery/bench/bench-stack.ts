/**
 * What every benchmark section runs against: one real Temporal dev server (worker controller on) and one local
 * Lambda service, started once per run (machinery/devstack/local-stack.ts) so that every comparison is made on the same server,
 * side by side.
 */

import fs from 'node:fs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { LAMBDA_RUNTIME } from '../deployment/lambda-deployment';
import { startLocalStack } from '../devstack/local-stack';
import type { Stage } from '../devstack/stage';
import type { LocalLambda } from '../lambda-local/local-lambda';

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
  /** The runtime every bench function is built for and created with (--lambda-runtime; default LAMBDA_RUNTIME). */
  lambdaRuntime: string;
}

export async function startBenchStack(
  workDir: string,
  stage: Stage,
  log: (line: string) => void,
  functionEnvironment: Record<string, string> = {},
  lambdaNode: 'runtime' | 'host' = 'runtime',
  lambdaRuntime: string = LAMBDA_RUNTIME,
): Promise<BenchStack> {
  fs.rmSync(workDir, { recursive: true, force: true });
  const stack = await startLocalStack({
    workDir,
    own: (name, stop) => stage.own(name, stop),
    log,
    // Lambda's real account limit is 1,000; 40 is enough that a burst's invocations never queue behind each other
    // here. Environments run the functions' runtime's own Node (nodejs22.x: Node 22), as Lambda would, not the host's.
    lambda: { accountConcurrency: 40, runtimeNode: lambdaNode === 'runtime' },
  });
  const { lambda, lambdaClient, server } = stack;
  const native = await stack.connectWorker();
  const client = await stack.connectClient();
  return {
    address: server.address,
    workDir,
    lambda,
    lambdaClient,
    native,
    client,
    stage,
    log,
    functionEnvironment,
    lambdaRuntime,
  };
}
