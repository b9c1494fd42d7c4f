/**
 * A redeploy under load, end to end on the real dev server and local Lambda service, through `npm run redeploy`:
 * an order in flight on build r2 (Lambda version 1) survives shipping r3 (version 2) and completes on version 1;
 * orders started after it run on r3's version 2. Every worker identity carries the qualified ARN it was invoked by.
 */

import fs from 'node:fs';
import path from 'node:path';
import { type LambdaClient } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import {} from '../../config/settings';
import type { OrderResult } from '../../domain/status';
import { deployTestFunction } from '../support/shopflow-function';
import { buildLambdaPackage } from '../../machinery/deployment/lambda-package';
import { describeVersion, registerLambda } from '../../machinery/deployment/lambda-registration';
import { localAwsEnvironment, localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { waitFor } from '../../machinery/plumbing/wait-for';
import { localLambdaClient } from '../support/function-zips';
import { testOrder } from '../support/orders';
import { startEntryPoint } from '../support/processes';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';
import { startOrder } from '../../client/start-order';

const deploymentName = uniqueName('shopflow-redeploy');
const functionName = uniqueName('shopflow-redeploy');
const taskQueue = uniqueName('shopflow-redeploy');
const arn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
let dir: string;
let lambda: LambdaClient;
let native: NativeConnection;
let client: Client;
const zips = { r2: '', r3: '' };

const buildEnv = (buildId: string) => ({
  ...process.env,
  SHOPFLOW_DEPLOYMENT_NAME: deploymentName,
  SHOPFLOW_BUILD_ID: buildId,
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'redeploy-'));
  lambda = localLambdaClient(testEnv('lambdaEndpoint'));
  native = await NativeConnection.connect({ address: testEnv('address') });
  client = new Client({ connection: await Connection.connect({ address: testEnv('address') }), namespace: 'default' });
  zips.r2 = path.join(dir, 'r2.zip');
  zips.r3 = path.join(dir, 'r3.zip');
  await buildLambdaPackage({ arch: 'x86_64', includeCerts: false, outFile: zips.r2, env: buildEnv('r2') });
  // Built ahead, so the redeploy below takes seconds, well inside the in-flight order's slow step.
  await buildLambdaPackage({ arch: 'x86_64', includeCerts: false, outFile: zips.r3, env: buildEnv('r3') });
  const deployed = await deployTestFunction(lambda, {
    functionName,
    zipFile: zips.r2,
    architecture: 'x86_64',
    taskQueue,
    environment: { SHOPFLOW_JOURNAL: path.join(dir, 'journal.jsonl'), SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '1500' },
  });
  expect(deployed.FunctionArn).toBe(`${arn}:1`);
  await registerLambda({
    connection: native,
    namespace: 'default',
    version: { deploymentName, buildId: 'r2' },
    target: localLambdaTarget(`${arn}:1`),
    identity: 'test',
    makeCurrent: true,
  });
  // The server's validation invocation binds the task queue to r2; an order started before that would be unversioned.
  await waitFor(
    async () =>
      Boolean(
        (await describeVersion(native, 'default', { deploymentName, buildId: 'r2' }))?.taskQueueInfos?.some(
          (q) => q.name === taskQueue,
        ),
      ),
    { timeoutMs: 30_000, intervalMs: 250, what: `task queue ${taskQueue} to join version r2` },
  );
  // ...and lets that invocation idle out: a task that reaches a worker as it stops waits for its task timeout.
  await waitFor(async () => (await busyEnvironments()) === 0, {
    timeoutMs: 30_000,
    intervalMs: 250,
    what: 'the validation invocation to end',
  });
});
afterAll(async () => {
  lambda?.destroy();
  await client?.connection.close();
  await native?.close();
});

/** Environments of the function running an invocation now, from the local Lambda service. */
async function busyEnvironments(): Promise<number> {
  const functions = (await (await fetch(`${testEnv('lambdaEndpoint')}/local/environments`)).json()) as {
    functionName: string;
    environments: { state: string }[];
  }[];
  const ours = functions.find((f) => f.functionName === functionName);
  return ours?.environments.filter((e) => e.state === 'busy' || e.state === 'starting').length ?? 0;
}

async function startTestOrder(slowShipmentMs?: number) {
  const order = testOrder(
    'happy',
    slowShipmentMs ? { slowStep: { step: 'createShipment', durationMs: slowShipmentMs } } : undefined,
  );
  return startOrder(client, order, { taskQueue });
}

/** The build id the server pinned the order to (describe, served without a worker). */
async function pinnedBuildId(workflowId: string): Promise<string | undefined> {
  const { workflowExecutionInfo } = await client.workflowService.describeWorkflowExecution({
    namespace: 'default',
    execution: { workflowId },
  });
  return workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId ?? undefined;
}

test("an order in flight on r2 completes on r2's Lambda version after r3 ships; new orders run on r3", async () => {
  const inFlight = await startTestOrder(12_000);
  // In flight: the slow shipment is running on the Lambda, invoked as version 1.
  await waitFor(
    async () => {
      const { pendingActivities } = await client.workflowService.describeWorkflowExecution({
        namespace: 'default',
        execution: { workflowId: inFlight.workflowId },
      });
      return Boolean(
        pendingActivities?.some(
          (a) => a.activityType?.name === 'createShipment' && a.lastWorkerIdentity?.endsWith(`@${arn}:1`),
        ),
      );
    },
    { timeoutMs: 30_000, what: 'the shipment to be running on version 1' },
  );

  const env = {
    ...localAwsEnvironment(testEnv('lambdaEndpoint')),
    TEMPORAL_ADDRESS: testEnv('address'),
  };
  const run = startEntryPoint(
    'scripts/redeploy.ts',
    ['--function', functionName, '--zip', zips.r3, '--skip-build'],
    env,
  );
  expect((await run.exited).code).toBe(0);
  const output = run.output();
  expect(output).toContain('r3 is a new build id: orders in flight stay on their own versions');
  expect(output).toContain(`Registered ${arn}:2 as ${deploymentName}/r3 (created); it is now the Current Version`);
  // The version table: r2 drains with its one open order, r3 is current; r2 may be retired only once DRAINED with no
  // open order on two reads a drainage refresh apart, so no command to delete it yet.
  expect(output).toMatch(new RegExp(`r2\\s+DRAINING\\s+1\\s+${arn}:1\\n`));
  expect(output).toMatch(new RegExp(`r3\\s+CURRENT\\s+0\\s+${arn}:2\\n`));
  expect(output).toContain(
    'r2: 1 order(s) still open (DRAINING): retire it once it is DRAINED with no open order on two reads 2 s apart',
  );
  expect(output).not.toContain('delete-version');
  expect(output).not.toContain('aws lambda delete-function');
  // Still running when the redeploy ended: the redeploy happened under it.
  expect((await inFlight.describe()).status.name).toBe('RUNNING');

  // r3's registration makes the server invoke version 2 once to bind the queue; a new order that reaches that
  // worker just as it idles out waits for its task timeout, so let it bind and end (the r2 order keeps running).
  await waitFor(
    async () =>
      Boolean(
        (await describeVersion(native, 'default', { deploymentName, buildId: 'r3' }))?.taskQueueInfos?.some(
          (q) => q.name === taskQueue,
        ),
      ),
    { timeoutMs: 30_000, intervalMs: 250, what: `task queue ${taskQueue} to join version r3` },
  );
  await waitFor(async () => (await busyEnvironments()) <= 1, {
    timeoutMs: 30_000,
    intervalMs: 250,
    what: 'the r3 validation invocation to end',
  });
  const after = await startTestOrder();
  const [oldOrder, newOrder] = (await Promise.all([inFlight.result(), after.result()])) as OrderResult[];
  expect(oldOrder.status.state).toBe('COMPLETED');
  expect(oldOrder.status.steps.map((s) => s.worker?.split('@')[1])).toEqual([
    `${arn}:1`,
    `${arn}:1`,
    `${arn}:1`,
    `${arn}:1`,
  ]);
  expect(await pinnedBuildId(inFlight.workflowId)).toBe('r2');
  expect(newOrder.status.state).toBe('COMPLETED');
  expect(newOrder.status.steps.map((s) => s.worker?.split('@')[1])).toEqual([
    `${arn}:2`,
    `${arn}:2`,
    `${arn}:2`,
    `${arn}:2`,
  ]);
  expect(await pinnedBuildId(after.workflowId)).toBe('r3');
});
