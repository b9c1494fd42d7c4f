/**
 * The serverless stack that `npm run demo` and `npm run chaos` both stand up: the local stack (./local-stack.ts: the
 * local Lambda service and a Temporal dev server whose worker controller calls it), with the Lambda package built,
 * deployed and registered as the Current Version of this build. Everything started is handed to `own`, so the caller's stage stops it, also on Ctrl+C.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { workerDeploymentVersion } from '../../config/environment';
import { LAMBDA_DEFAULT_MEMORY_MB, LAMBDA_RECOMMENDED_TIMEOUT_S } from '../../config/settings';
import type { LocalLambda, LocalLambdaOptions } from '../lambda-local/local-lambda';
import type { DevServer } from './dev-server';
import { deployLambda } from '../deployment/lambda-deployment';
import { buildLocalLambdaPackage, mb, type BuildResult } from '../deployment/lambda-package';
import { registerLambda } from '../deployment/lambda-registration';
import { localLambdaTarget } from '../lambda-local/local-aws-clients';
import { startLocalStack } from './local-stack';
import { freePort, isPortFree } from '../plumbing/ports';

export interface ServerlessStackOptions {
  /** Where the Lambda service's state, the dev server's log and function.zip go. */
  dir: string;
  functionName: string;
  /** The journal the Lambda shares with local workers. */
  journalPath: string;
  /** Takes ownership of something started, with how to stop it. */
  own: (name: string, stop: () => Promise<void> | void) => void;
  /** One line per stage of the set-up. */
  step: (line: string) => void;
  /** The local Lambda service's own narration (cold starts, failures). */
  lambdaNarrate?: (line: string) => void;
  /** Picks a port, given the usual one: the demo prefers the defaults, the chaos run takes any free port. */
  choosePort?: (preferred: number) => Promise<number>;
  /** Web UI on (the demo) or headless. */
  ui?: boolean;
  /** Keeps the server's state in this file, so it survives a restart; omit for in-memory. */
  dbFile?: string;
  /** Extra settings for the local Lambda service (for example a lower account concurrency). */
  lambdaService?: Partial<Omit<LocalLambdaOptions, 'stateDir' | 'port' | 'narrate'>>;
  /** Extra environment variables of the deployed function. */
  functionEnvironment?: Record<string, string>;
  /** Who registers the version, as recorded by the server. */
  identity: string;
}

export interface ServerlessStack {
  cli: string;
  lambda: LocalLambda;
  /** The dev server running now (a new one after each restart). */
  readonly server: DevServer;
  built: BuildResult;
  functionArn: string;
  version: WorkerDeploymentVersion;
  /** Environments of the function running or starting an invocation now. */
  busyEnvironments(): number;
  /** Stops the dev server and starts it again on the same port and database file. */
  restartDevServer(): Promise<DevServer>;
}

/** The preferred port if it is free, else any free one. */
export async function preferredPort(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : freePort();
}

export async function startServerlessStack(options: ServerlessStackOptions): Promise<ServerlessStack> {
  const { step, own, functionName } = options;
  const version = workerDeploymentVersion();
  const stack = await startLocalStack({
    workDir: options.dir,
    own,
    log: step,
    choosePort: options.choosePort ?? preferredPort,
    ui: options.ui,
    dbFile: options.dbFile,
    lambda: { ...options.lambdaService, narrate: options.lambdaNarrate ?? (() => {}) },
  });
  const { cli, lambda, server } = stack;

  step('building the Lambda package (npm run build:lambda)...');
  const built = await buildLocalLambdaPackage({ includeCerts: false, outFile: path.join(options.dir, 'function.zip') });
  step(`dist: ${mb(built.zippedBytes)} zipped, ${mb(built.unzippedBytes)} unzipped, build ${built.info.buildId}`);
  const deployed = await deployLambda({
    client: stack.lambdaClient,
    functionName,
    zipFile: built.outFile,
    // A numbered version, as in production: the registered code never changes under an order in flight.
    publish: true,
    log: (line) => step(line),
    create: {
      roleArn: 'arn:aws:iam::000000000000:role/shopflow-lambda',
      architecture: built.info.architecture,
      timeoutSeconds: LAMBDA_RECOMMENDED_TIMEOUT_S,
      memoryMb: LAMBDA_DEFAULT_MEMORY_MB, // what deploy:lambda --create gives a function
      environment: {
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'default',
        SHOPFLOW_JOURNAL: options.journalPath,
        ...options.functionEnvironment,
      },
    },
  });
  const functionArn = deployed.FunctionArn!;
  const registration = await registerLambda({
    connection: await stack.connectWorker(),
    namespace: 'default',
    version,
    target: localLambdaTarget(functionArn),
    identity: options.identity,
    makeCurrent: true,
  });
  step(
    `registered ${functionArn} as ${version.deploymentName}/${version.buildId} (${registration.action}); it is the Current Version`,
  );
  const busyEnvironments = () =>
    lambda.service.environmentsOf(functionName).filter((e) => e.state === 'busy' || e.state === 'starting').length;
  // Registering makes the controller invoke the function once, to bind the task queue; let that invocation
  // idle out first, so what follows starts from a quiet Lambda.
  step('waiting for the registration invocation to idle out...');
  for (let i = 0; i < 50 && lambda.service.environmentsOf(functionName).length === 0; i++) await sleep(200);
  for (let i = 0; i < 300 && busyEnvironments() > 0; i++) await sleep(200);

  return {
    cli,
    lambda,
    get server() {
      return stack.server;
    },
    built,
    functionArn,
    version,
    busyEnvironments,
    restartDevServer: () => stack.restartDevServer(),
  };
}
