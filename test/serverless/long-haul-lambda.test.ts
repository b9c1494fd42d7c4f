/**
 * The 15-minute limit, in small: on the Lambda alone (no local worker), a long-haul shipment lasting more than four
 * function timeouts completes. Each invocation takes a few chunks and stops at its deadline; the worker controller
 * invokes the function again for the next chunk, and no handover spends a retry.
 */

import fs from 'node:fs';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { LONG_HAUL_CHUNK_MS } from '../../config/settings';
import { chunkCount } from '../../domain/long-haul';
import type { OrderResult } from '../../domain/status';
import { localAwsClient, localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { buildLocalLambdaPackage } from '../../machinery/deployment/lambda-package';
import { registerLambda } from '../../machinery/deployment/lambda-registration';
import { isLambdaIdentity } from '../../client/describe-worker';
import { startOrder } from '../../client/start-order';
import { readJournalLines } from '../../machinery/devstack/run-ledger';
import { chunkActivities } from '../../client/haul-history';
import { testOrder } from '../support/orders';
import { deployTestFunction } from '../support/shopflow-function';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

/** Short, so the haul outlasts several invocations in about a minute; still 5 s of polling after the 7 s buffer. */
const FUNCTION_TIMEOUT_S = 12;
const HAUL_MS = 4 * FUNCTION_TIMEOUT_S * 1000;

const version = { deploymentName: uniqueName('shopflow-haul-lambda'), buildId: 'haul-1' };
const taskQueue = uniqueName('shopflow-haul-lambda');
let dir: string;
let native: NativeConnection;
let client: Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'haul-lambda-'));
  const lambda = localAwsClient(LambdaClient, testEnv('lambdaEndpoint'));
  const built = await buildLocalLambdaPackage({
    includeCerts: false,
    outFile: path.join(dir, 'function.zip'),
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: version.deploymentName, SHOPFLOW_BUILD_ID: version.buildId },
  });
  const deployed = await deployTestFunction(lambda, {
    functionName: uniqueName('shopflow-haul'),
    zipFile: built.outFile,
    architecture: built.info.architecture,
    taskQueue,
    timeoutSeconds: FUNCTION_TIMEOUT_S,
    environment: { SHOPFLOW_JOURNAL: path.join(dir, 'journal.jsonl'), SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '2000' },
  });
  lambda.destroy();
  native = await NativeConnection.connect({ address: testEnv('address') });
  await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: localLambdaTarget(deployed.FunctionArn!),
    identity: 'long-haul-test',
    makeCurrent: true,
  });
  client = new Client({ connection: await Connection.connect({ address: testEnv('address') }), namespace: 'default' });
}, 180_000);
afterAll(async () => {
  await client?.connection.close();
  await native?.close();
});

test(`a shipment of ${HAUL_MS / 1000} s (4 function timeouts) completes on the Lambda alone, invocation after invocation`, async () => {
  const order = { ...testOrder('long-haul'), longHaulMs: HAUL_MS };
  const handle = await startOrder(client, order, { taskQueue });
  const result = (await handle.result()) as OrderResult;
  expect(result.status.state).toBe('COMPLETED');
  for (const step of result.status.steps) expect(isLambdaIdentity(step.worker)).toBe(true);

  const chunks = await chunkActivities(handle);
  expect(chunks).toHaveLength(chunkCount(HAUL_MS, LONG_HAUL_CHUNK_MS));
  // Every handover was a completion: no chunk needed a second attempt.
  expect(chunks.map((c) => c.attempt)).toEqual(chunks.map(() => 1));
  const haulMs = chunks.at(-1)!.completedAtMs! - chunks[0].startedAtMs!;
  expect(haulMs).toBeGreaterThanOrEqual(4 * FUNCTION_TIMEOUT_S * 1000);

  // One identity per invocation: the haul took at least 4 of them, and none ran chunks past its own timeout.
  const invocations = new Map<string, { first: number; last: number; chunks: number }>();
  for (const chunk of chunks) {
    expect(isLambdaIdentity(chunk.identity)).toBe(true);
    const seen = invocations.get(chunk.identity!) ?? { first: chunk.startedAtMs!, last: 0, chunks: 0 };
    seen.last = chunk.completedAtMs!;
    seen.chunks++;
    invocations.set(chunk.identity!, seen);
  }
  expect(invocations.size).toBeGreaterThanOrEqual(4);
  for (const { first, last } of invocations.values()) expect(last - first).toBeLessThan(FUNCTION_TIMEOUT_S * 1000);
  process.stdout.write(
    `[long-haul on Lambda] ${HAUL_MS} ms haul, ${chunks.length} chunks in ${(haulMs / 1000).toFixed(1)} s over ` +
      `${invocations.size} invocations (chunks each: ${[...invocations.values()].map((i) => i.chunks).join(', ')}), ` +
      `function timeout ${FUNCTION_TIMEOUT_S} s\n`,
  );

  const effects = readJournalLines(path.join(dir, 'journal.jsonl')).filter((e) => e.orderId === order.orderId);
  expect(effects.map((e) => e.effect)).toEqual(['reserve', 'charge', 'ship', 'notify']);
}, 240_000);
