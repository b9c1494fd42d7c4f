/**
 * A test worker as a process of its own, so a test can SIGKILL it mid-activity (a crash, or a Lambda frozen at
 * its deadline: no shutdown, no last heartbeat). Its task queue and version come from the environment.
 */

import { startTestWorker } from './test-worker';

export const TEST_WORKER_READY = 'test worker ready';

async function main(): Promise<void> {
  const taskQueue = process.env.SHOPFLOW_TEST_TASK_QUEUE;
  const deploymentName = process.env.SHOPFLOW_TEST_DEPLOYMENT_NAME;
  if (!taskQueue || !deploymentName)
    throw new Error('set SHOPFLOW_TEST_TASK_QUEUE and SHOPFLOW_TEST_DEPLOYMENT_NAME (the test that starts it does)');
  const worker = await startTestWorker({
    taskQueue,
    version: { deploymentName, buildId: process.env.SHOPFLOW_TEST_BUILD_ID ?? 'test-1' },
    identity: `${process.pid}@killable-test-worker`,
  });
  console.log(`${TEST_WORKER_READY}: ${worker.identity}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
