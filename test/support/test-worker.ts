/**
 * Starts a real ShopFlow worker against the test dev server, on its own task queue and deployment (so test files
 * do not steal each other's tasks), with the real activities over a fresh journal unless services are injected.
 */

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WorkflowIdReusePolicy, type WorkflowHandle } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, EffectJournal } from '../../activities';
import { scaledLatency } from '../../activities/simulated/latency';
import { createSimulatedServices } from '../../activities/simulated/simulated-services';
import type { ShopFlowServices } from '../../activities/services';
import { ORDER_WORKFLOW_TYPE, orderWorkflowId } from '../../config/settings';
import type { OrderActivities } from '../../domain/activity-contract';
import type { Order } from '../../domain/order';
import type { OrderResult } from '../../domain/status';
import { ensureCurrentVersion } from '../../worker/ensure-current-version';
import { shopFlowWorkerOptions, versioningOptions } from '../../worker/worker-options';
import { testEnv } from './test-env';

export interface TestWorkerOptions {
  /** Defaults: the dev server, workflow bundle and folder that jest's global setup prepared. */
  address?: string;
  bundlePath?: string;
  workDir?: string;
  services?: ShopFlowServices;
  /** Wraps the real activities, to plant a fault the simulated services cannot (a corrupt heartbeat). */
  wrapActivities?: (activities: OrderActivities) => OrderActivities;
  latencyScale?: number;
  identity?: string;
  /** A deployment version and task queue of the test's own (for example one with a Lambda registered). */
  version?: WorkerDeploymentVersion;
  taskQueue?: string;
}

export interface TestWorker {
  client: Client;
  taskQueue: string;
  version: WorkerDeploymentVersion;
  identity: string;
  journal: EffectJournal;
  /** The SDK worker itself, for tests that watch its status (its workflow cache, its in-flight tasks). */
  worker: Worker;
  start(order: unknown, workflowId?: string): Promise<WorkflowHandle<(order: Order) => Promise<OrderResult>>>;
  stop(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function startTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  const address = options.address ?? testEnv('address');
  const bundlePath = options.bundlePath ?? testEnv('bundle');
  const taskQueue = options.taskQueue ?? uniqueName('shopflow-test');
  const version = options.version ?? { deploymentName: uniqueName('shopflow-test'), buildId: 'test-1' };
  const identity = options.identity ?? `${process.pid}@test-host`;
  const journal = new EffectJournal(path.join(options.workDir ?? testEnv('workDir'), `${taskQueue}.journal.jsonl`));
  const services =
    options.services ??
    createSimulatedServices({ journal, latency: scaledLatency(options.latencyScale ?? 0), stallMs: 6_000 });

  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    identity,
    ...shopFlowWorkerOptions({
      activities: (options.wrapActivities ?? ((a) => a))(
        createActivities({ services, workerIdentity: () => identity }),
      ),
      workflows: { workflowBundle: { codePath: bundlePath } },
      taskQueue,
    }),
    workerDeploymentOptions: versioningOptions(version),
  });
  const running = worker.run();
  await ensureCurrentVersion({ connection, namespace: 'default', version, identity });
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });

  return {
    client,
    taskQueue,
    version,
    identity,
    journal,
    worker,
    start: (order, workflowId) =>
      client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: workflowId ?? orderWorkflowId(uniqueName((order as Order | null)?.orderId ?? 'order')),
        args: [order],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    stop: async () => {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
    },
  };
}
