/**
 * An in-process versioned worker for the throughput runs: the same worker options as `npm run worker` (task
 * queue of its own, Worker Deployment Versioning, PINNED), for ShopFlow or for the baseline workflow alike.
 */

import { randomUUID } from 'node:crypto';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { ensureCurrentVersion } from '../../worker/ensure-current-version';
import { versioningOptions } from '../../worker/worker-options';

export interface RunningWorker {
  taskQueue: string;
  version: WorkerDeploymentVersion;
  stop(): Promise<void>;
}

export function benchName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function startVersionedWorker(options: {
  connection: NativeConnection;
  name: string;
  activities: WorkerOptions['activities'];
  workflowBundle: { code: string };
}): Promise<RunningWorker> {
  const taskQueue = benchName(options.name);
  const version = { deploymentName: taskQueue, buildId: 'bench-1' };
  const worker = await Worker.create({
    connection: options.connection,
    namespace: 'default',
    taskQueue,
    identity: `${process.pid}@bench`,
    activities: options.activities,
    workflowBundle: options.workflowBundle,
    workerDeploymentOptions: versioningOptions(version),
  });
  const running = worker.run();
  await ensureCurrentVersion({
    connection: options.connection,
    namespace: 'default',
    version,
    identity: 'bench',
    timeoutMs: 30_000,
  });
  return {
    taskQueue,
    version,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}
