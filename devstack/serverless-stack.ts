/**
 * The serverless stack that `npm run demo` and `npm run chaos` both stand up: the local Lambda service, a Temporal
 * dev server whose worker controller calls it, the Lambda package built, deployed and registered as the Current
 * Version of this build. Everything started is handed to `own`, so the caller's stage stops it, also on Ctrl+C.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { workerDeploymentVersion } from '../config/environment';
import { DEV_SERVER_PORT, DEV_SERVER_UI_PORT, LAMBDA_RECOMMENDED_TIMEOUT_S } from '../config/settings';
import { startLocalLambda, type LocalLambda, type LocalLambdaOptions } from '../lambda-local/local-lambda';
import { LOCAL_LAMBDA_DEFAULTS } from '../lambda-local/settings';
import { localLambdaEnvironment, startDevServer, type DevServer, type DevServerOptions } from './dev-server';
import { deployLambda } from '../deployment/lambda-deployment';
import { buildLocalLambdaPackage, mb, type BuildResult } from '../deployment/lambda-package';
import { registerLambda } from '../deployment/lambda-registration';
import { localAwsClient } from './local-aws-clients';
import { freePort, isPortFree } from './ports';
import { ensureTemporalCli } from './temporal-cli';

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
  const choosePort = options.choosePort ?? preferredPort;
  const version = workerDeploymentVersion();
  const cli = ensureTemporalCli((line) => step(line));
  const lambda = await startLocalLambda({
    ...options.lambdaService,
    stateDir: path.join(options.dir, 'lambda-local'),
    port: await choosePort(LOCAL_LAMBDA_DEFAULTS.port),
    narrate: options.lambdaNarrate ?? (() => {}),
  });
  own('local Lambda service', () => lambda.close());
  step(`local Lambda service on ${lambda.endpoint} (runtime: ${lambda.runtimeName})`);
  const grpcPort = await choosePort(DEV_SERVER_PORT);
  const uiPort = options.ui ? await choosePort(DEV_SERVER_UI_PORT) : undefined;
  const serverOptions: DevServerOptions = {
    cli,
    port: grpcPort,
    uiPort,
    dbFile: options.dbFile,
    logFile: path.join(options.dir, 'dev-server.log'),
    env: localLambdaEnvironment(lambda.endpoint, {}),
  };
  let server = await startDevServer(serverOptions);
  own('Temporal dev server', () => server.stop());
  step(
    `Temporal dev server on ${server.address}${server.uiUrl ? `, Web UI ${server.uiUrl}` : ''} (worker controller on)`,
  );

  step('building the Lambda package (npm run build:lambda)...');
  const built = await buildLocalLambdaPackage({ includeCerts: false, outFile: path.join(options.dir, 'function.zip') });
  step(`dist: ${mb(built.zippedBytes)} zipped, ${mb(built.unzippedBytes)} unzipped, build ${built.info.buildId}`);
  const lambdaClient = localAwsClient(LambdaClient, lambda.endpoint);
  own('Lambda client', () => lambdaClient.destroy());
  const deployed = await deployLambda({
    client: lambdaClient,
    functionName,
    zipFile: built.outFile,
    // A numbered version, as in production: the registered code never changes under an order in flight.
    publish: true,
    log: (line) => step(line),
    create: {
      roleArn: 'arn:aws:iam::000000000000:role/shopflow-lambda',
      architecture: built.info.architecture,
      timeoutSeconds: LAMBDA_RECOMMENDED_TIMEOUT_S,
      memoryMb: 1024,
      environment: {
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'default',
        SHOPFLOW_JOURNAL: options.journalPath,
        ...options.functionEnvironment,
      },
    },
  });
  const functionArn = deployed.FunctionArn!;
  const native = await NativeConnection.connect({ address: server.address });
  own('registration connection', () => native.close());
  const registration = await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: { functionArn },
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
      return server;
    },
    built,
    functionArn,
    version,
    busyEnvironments,
    async restartDevServer() {
      await server.stop();
      server = await startDevServer(serverOptions);
      return server;
    },
  };
}
