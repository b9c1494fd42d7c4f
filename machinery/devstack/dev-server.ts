/** Starts a real Temporal dev server (the CLI's `server start-dev`) and waits until it answers. */

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { VERSION_DRAINAGE_REFRESH_S } from '../../config/settings';
import { workerControllerEnvironment } from '../lambda-local/local-aws-clients';
import { freePortOtherThan } from '../plumbing/ports';
import { stopProcess } from '../plumbing/stop-process';

export interface DevServerOptions {
  cli: string;
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  /** The frontend's HTTP API port (ShopFlow itself speaks gRPC); default: a free one. */
  httpPort?: number;
  /** A file keeps state across restarts; omit for in-memory. */
  dbFile?: string;
  /** Where the server's output goes; omit to share this terminal. */
  logFile?: string;
  /** Dynamic config values (`key=value`) besides the worker controller's, which are always on. */
  dynamicConfig?: string[];
  /** Extra environment, e.g. AWS_ENDPOINT_URL for the worker controller's Lambda client. */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Dynamic config that turns on the worker controller, which invokes a Lambda function when a task of a version
 * with a compute config finds no poller (the open-source worker controller, temporalio/temporal-auto-scaled-workers).
 */
export const WORKER_CONTROLLER_CONFIG = [
  'workercontroller.enabled=true',
  // As on Temporal Cloud: every version's compute config needs a role and external id, and the controller checks
  // that the role's trust policy requires the external id (machinery/lambda-local/local-aws-clients.ts, machinery/lambda-local/sts-api.ts).
  'workercontroller.compute_providers.aws.require_role_and_external_id=true',
  'workercontroller.compute_providers.enabled=["aws-lambda"]',
  'workercontroller.scaling_algorithms.enabled=["no-sync"]',
  'frontend.enableServerVersionCheck=false',
  // A version that stopped being current shows DRAINED seconds after its last order ends, not minutes (default 180 s
  // grace, then a check every 180 s): the demo's act 5 ends on that table.
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod=5',
  `matching.wv.VersionDrainageStatusRefreshInterval=${VERSION_DRAINAGE_REFRESH_S.devServer}`,
];

/**
 * Environment for the dev server so its worker controller (AWS SDK for Go v2) calls the local Lambda service, with
 * the worker controller's keys. `env` set AWS_ENDPOINT_URL: it points at another AWS (a self-hosted server reaching
 * real Lambda), and then its own credentials chain is used whole.
 */
export function localLambdaEnvironment(endpoint: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return env.AWS_ENDPOINT_URL ? {} : workerControllerEnvironment(endpoint);
}

/** A Host no request can name (the .invalid TLD never resolves): the only one the HTTP API would accept. */
export const CLOSED_HTTP_API_HOST = 'http-api-closed.invalid';

export function devServerArgs(
  options: Pick<DevServerOptions, 'port' | 'uiPort' | 'httpPort' | 'dbFile' | 'dynamicConfig'>,
): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.httpPort) {
    // Nothing of ShopFlow's, nor the Web UI (its server speaks gRPC), uses the frontend's HTTP API, and it checks no
    // Origin: a web page's no-cors POST could terminate an order. So it takes no Host at all (403 to every request).
    args.push('--http-port', String(options.httpPort));
    args.push('--dynamic-config-value', `frontend.httpAllowedHosts=${JSON.stringify([CLOSED_HTTP_API_HOST])}`);
  }
  if (options.uiPort) args.push('--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const value of [...WORKER_CONTROLLER_CONFIG, ...(options.dynamicConfig ?? [])])
    args.push('--dynamic-config-value', value);
  return args;
}

async function waitUntilServing(address: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the dev server exited with code ${server.exitCode} while starting`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        // A deadline, so a server that accepts connections but never answers cannot hang the start-up.
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw new Error(
    `the dev server at ${address} did not answer within ${timeoutMs} ms: ${(lastError as Error)?.message}`,
  );
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  const output = options.logFile ? fs.openSync(options.logFile, 'a') : 'inherit';
  const httpPort = options.httpPort ?? (await freePortOtherThan([options.port, options.uiPort]));
  const child = spawn(options.cli, devServerArgs({ ...options, httpPort }), {
    stdio: ['ignore', output, output],
    env: { ...process.env, ...options.env },
  });
  const stop = () => stopProcess(child, 'SIGTERM', 5_000);
  try {
    await waitUntilServing(address, child, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    const log =
      options.logFile && fs.existsSync(options.logFile)
        ? `\n${fs.readFileSync(options.logFile, 'utf8').slice(-2000)}`
        : '';
    throw new Error(`${(err as Error).message}${log}`);
  }
  return { address, uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined, process: child, stop };
}
