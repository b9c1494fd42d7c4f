/**
 * Runs once before all tests: starts the local stack (machinery/devstack/local-stack.ts: one real dev server, in memory, on
 * free ports, worker controller on, and the local Lambda service; the Temporal CLI installed if needed) and
 * pre-bundles the workflow code, so each test file only starts workers.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { startLocalStack } from '../../machinery/devstack/local-stack';
import { Stage } from '../../machinery/devstack/stage';
import { workflowsSourcePath } from '../../worker/worker-options';
import { NO_BROWSER_MESSAGE, ensureBrowser } from './find-browser';
import { TEST_ENV, TEST_STAGE_KEY } from './test-env';

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`\n[test setup] ${line}`);
  // The console's browser tests need one; installed here, once, before the test files run in parallel.
  const browser = ensureBrowser(log);
  if (browser) process.env.SHOPFLOW_CHROMIUM = browser;
  else log(`${NO_BROWSER_MESSAGE} (the browser tests will fail until then)`);
  const workDir = fs.mkdtempSync(path.join(testWorkRoot(), 'shopflow-test-'));
  const stage = new Stage();
  (globalThis as Record<string, unknown>)[TEST_STAGE_KEY] = stage;
  const { cli, lambda, server } = await startLocalStack({
    workDir,
    own: (name, stop) => stage.own(name, stop),
    log,
    lambda: { idleEnvironmentTtlMs: 60_000 },
  });
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), logger: new DefaultLogger('WARN') });
  const bundlePath = path.join(workDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env[TEST_ENV.address] = server.address;
  process.env[TEST_ENV.bundle] = bundlePath;
  process.env[TEST_ENV.workDir] = workDir;
  process.env[TEST_ENV.cli] = cli;
  process.env[TEST_ENV.lambdaEndpoint] = lambda.endpoint;
  log(`dev server ready\n`);
}

/**
 * Where the tests' work folder goes: not under /tmp, which each local Lambda environment sees as its own private
 * tmpfs (the sandbox), so files the test functions write for the tests to read (ticks, appended lines) stay shared.
 * /var/tmp where there is one (Linux, macOS), else the system's temporary folder.
 */
function testWorkRoot(): string {
  const root = '/var/tmp';
  try {
    fs.accessSync(root, fs.constants.W_OK);
    return root;
  } catch {
    return os.tmpdir();
  }
}
