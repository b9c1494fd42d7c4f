/**
 * The one starter of the local stack: the local Lambda service and a Temporal dev server whose worker controller
 * invokes it, with clients of both. The test setup, the bench and the serverless stack (demo, chaos) all start it
 * here and differ only in the options. Everything started is handed to `own`, so the caller's stage stops it.
 */

import fs from 'node:fs';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { DEV_SERVER_PORT, DEV_SERVER_UI_PORT } from '../../config/settings';
import { LAMBDA_RUNTIME } from '../deployment/lambda-deployment';
import { startLocalLambda, type LocalLambda, type LocalLambdaOptions } from '../lambda-local/local-lambda';
import { LOCAL_LAMBDA_DEFAULTS } from '../lambda-local/settings';
import { localLambdaEnvironment, startDevServer, type DevServer, type DevServerOptions } from './dev-server';
import { localAwsClient } from '../lambda-local/local-aws-clients';
import { freePort } from '../plumbing/ports';
import { ensureRuntimeNode } from '../plumbing/runtime-node';
import { ensureTemporalCli } from './temporal-cli';

export interface LocalStackOptions {
  /** Where the Lambda service's state (lambda-local/) and the dev server's log (dev-server.log) go; made if missing. */
  workDir: string;
  /** Takes ownership of something started, with how to stop it (a stage's `own`: stopped newest first). */
  own: (name: string, stop: () => Promise<void> | void) => void;
  /** Progress: installing a tool, where each service listens. */
  log: (line: string) => void;
  /**
   * Picks a port, given the usual one (the demo prefers the defaults). Default: any free port (the Lambda service
   * then binds port 0, so the OS picks it).
   */
  choosePort?: (preferred: number) => Promise<number>;
  /** The Web UI on, or headless (default). */
  ui?: boolean;
  /** Keeps the server's state in this file, so it survives a restart; omit for in-memory. */
  dbFile?: string;
  /** The dev server's dynamic config values (`key=value`) besides the worker controller's. */
  dynamicConfig?: string[];
  /**
   * Settings of the local Lambda service (account concurrency, idle TTL, narration). With `runtimeNode`, functions
   * run their runtime's own Node, installed now rather than at the first cold start, which it would slow down.
   */
  lambda?: Omit<LocalLambdaOptions, 'stateDir' | 'port' | 'log'>;
}

export interface LocalStack {
  /** The Temporal CLI that runs the dev server. */
  cli: string;
  lambda: LocalLambda;
  /** The dev server running now (a new one after each restart). */
  readonly server: DevServer;
  /** A Lambda API client of the local service. */
  lambdaClient: LambdaClient;
  /** Stops the dev server and starts it again on the same port and database file. */
  restartDevServer(): Promise<DevServer>;
  /** A worker connection to the dev server, owned like the rest. */
  connectWorker(): Promise<NativeConnection>;
  /** A client of the dev server's default namespace, owned like the rest. */
  connectClient(): Promise<Client>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { own, log } = options;
  const choosePort = options.choosePort;
  fs.mkdirSync(options.workDir, { recursive: true });
  const cli = ensureTemporalCli(log);
  if (options.lambda?.runtimeNode) ensureRuntimeNode(LAMBDA_RUNTIME, log);
  const lambda = await startLocalLambda({
    ...options.lambda,
    stateDir: path.join(options.workDir, 'lambda-local'),
    // The run's folder holds the file journal every worker shares, the Lambda environments too.
    sharedDirs: [options.workDir, ...(options.lambda?.sharedDirs ?? [])],
    port: choosePort ? await choosePort(LOCAL_LAMBDA_DEFAULTS.port) : 0,
    log,
  });
  own('local Lambda service', () => lambda.close());
  log(`local Lambda service on ${lambda.endpoint} (runtime: ${lambda.runtimeName})`);

  const pickPort = (preferred: number) => (choosePort ? choosePort(preferred) : freePort());
  const serverOptions: DevServerOptions = {
    cli,
    port: await pickPort(DEV_SERVER_PORT),
    uiPort: options.ui ? await pickPort(DEV_SERVER_UI_PORT) : undefined,
    dbFile: options.dbFile,
    dynamicConfig: options.dynamicConfig,
    logFile: path.join(options.workDir, 'dev-server.log'),
    env: localLambdaEnvironment(lambda.endpoint, {}),
  };
  log(`starting a Temporal dev server on 127.0.0.1:${serverOptions.port} (log: ${serverOptions.logFile})...`);
  let server = await startDevServer(serverOptions);
  own('Temporal dev server', () => server.stop());
  log(
    `Temporal dev server on ${server.address}${server.uiUrl ? `, Web UI ${server.uiUrl}` : ''} (worker controller on)`,
  );

  const lambdaClient = localAwsClient(LambdaClient, lambda.endpoint);
  own('Lambda client', () => lambdaClient.destroy());
  return {
    cli,
    lambda,
    get server() {
      return server;
    },
    lambdaClient,
    async restartDevServer() {
      await server.stop();
      server = await startDevServer(serverOptions);
      return server;
    },
    async connectWorker() {
      const native = await NativeConnection.connect({ address: server.address });
      own('worker connection', () => native.close());
      return native;
    },
    async connectClient() {
      const connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection, namespace: 'default' });
      own('client', () => client.connection.close());
      return client;
    },
  };
}
