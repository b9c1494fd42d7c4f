/**
 * Runs once before all tests: installs the Temporal CLI if needed, starts one real dev server (in memory, on free
 * ports, worker controller on) and pre-bundles the workflow code, so each test file only starts workers.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { localLambdaEnvironment, startDevServer } from '../../devstack/dev-server';
import { startLocalLambda } from '../../lambda-local/local-lambda';
import { freePort } from '../../devstack/ports';
import { ensureTemporalCli } from '../../devstack/temporal-cli';
import { workflowsSourcePath } from '../../worker/worker-options';
import { NO_BROWSER_MESSAGE, ensureBrowser } from './find-browser';
import { TEST_ENV } from './test-env';

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`\n[test setup] ${line}`);
  const cli = ensureTemporalCli(log);
  // The console's browser tests need one; installed here, once, before the test files run in parallel.
  const browser = ensureBrowser(log);
  if (browser) process.env.SHOPFLOW_CHROMIUM = browser;
  else log(`${NO_BROWSER_MESSAGE} (the browser tests will fail until then)`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-test-'));
  const lambda = await startLocalLambda({
    stateDir: path.join(workDir, 'lambda-local'),
    port: 0,
    idleEnvironmentTtlMs: 60_000,
  });
  log(`local Lambda service at ${lambda.endpoint} (${lambda.runtimeName})`);
  const port = await freePort();
  const logFile = path.join(workDir, 'dev-server.log');
  log(`starting a Temporal dev server on 127.0.0.1:${port} (log: ${logFile})`);
  const server = await startDevServer({ cli, port, logFile, env: localLambdaEnvironment(lambda.endpoint, {}) });
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), logger: new DefaultLogger('WARN') });
  const bundlePath = path.join(workDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env[TEST_ENV.address] = server.address;
  process.env[TEST_ENV.bundle] = bundlePath;
  process.env[TEST_ENV.workDir] = workDir;
  process.env[TEST_ENV.cli] = cli;
  process.env[TEST_ENV.lambdaEndpoint] = lambda.endpoint;
  (globalThis as Record<string, unknown>).__shopflowDevServer = server;
  (globalThis as Record<string, unknown>).__shopflowLocalLambda = lambda;
  log(`dev server ready\n`);
}
