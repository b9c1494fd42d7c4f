/**
 * The serverless path end to end, with nothing simulated on the Temporal side: the package is deployed to the
 * local Lambda service with the AWS SDK, registered with the dev server, and the dev server's own worker
 * controller invokes it when an order's tasks find no poller. No local worker runs in this test.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import {} from '../../config/settings';
import type { OrderResult } from '../../domain/status';
import { localAwsClient, localAwsEnvironment, localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { deployTestFunction } from '../support/shopflow-function';
import { buildLocalLambdaPackage } from '../../machinery/deployment/lambda-package';
import { registerLambda, registeredCooloffMs, registeredTarget } from '../../machinery/deployment/lambda-registration';
import { LAMBDA_SCALE_UP_COOLOFF_MS } from '../../config/settings';
import { parseVersionDescription } from '../../machinery/deployment/version-label';
import { isLambdaIdentity } from '../../client/describe-worker';
import { startEntryPoint } from '../support/processes';
import { testOrder } from '../support/orders';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';
import { startOrder } from '../../client/start-order';
import { readJournalLines } from '../../machinery/devstack/run-ledger';
import { RECORDED_HISTORIES_DIR } from '../../machinery/deployment/redeploy-guard';

const deploymentName = uniqueName('shopflow-serverless');
const version = { deploymentName, buildId: 'serverless-1' };
const functionName = uniqueName('shopflow-worker');
const taskQueue = uniqueName('shopflow-serverless');
let dir: string;
let lambda: LambdaClient;
let native: NativeConnection;
let client: Client;
let functionArn: string;
let workflowSha: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'serverless-'));
  lambda = localAwsClient(LambdaClient, testEnv('lambdaEndpoint'));
  native = await NativeConnection.connect({ address: testEnv('address') });
  client = new Client({ connection: await Connection.connect({ address: testEnv('address') }), namespace: 'default' });
  // The package this machine's local Lambda service runs (its architecture; on a Mac the service adds the Mac's core).
  const built = await buildLocalLambdaPackage({
    includeCerts: false,
    outFile: path.join(dir, 'function.zip'),
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: version.deploymentName, SHOPFLOW_BUILD_ID: version.buildId },
  });
  const deployed = await deployTestFunction(lambda, {
    functionName,
    zipFile: built.outFile,
    architecture: built.info.architecture,
    taskQueue,
    environment: { SHOPFLOW_JOURNAL: path.join(dir, 'journal.jsonl'), SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '2000' },
  });
  functionArn = deployed.FunctionArn!;
  workflowSha = built.info.workflowBundleSha256;
});
afterAll(async () => {
  lambda?.destroy();
  await client?.connection.close();
  await native?.close();
});

test('deploy publishes version 1, labelled with its build id and workflow hash', async () => {
  expect(functionArn).toMatch(/:function:shopflow-worker-\w+:1$/);
  const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: functionArn }));
  expect(parseVersionDescription(Configuration?.Description)).toEqual({
    deploymentName,
    buildId: 'serverless-1',
    workflowBundleSha256: workflowSha,
    otherCodeSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
});

test('register:lambda creates the version with the function as its compute, makes it current, and is idempotent', async () => {
  const first = await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: localLambdaTarget(functionArn),
    identity: 'test',
    makeCurrent: true,
  });
  expect(first.action).toBe('created');
  expect(first.madeCurrent).toBe(true);
  expect(registeredTarget(first.description)?.functionArn).toBe(functionArn);
  // The server keeps the scaler's cool-off as registered (config/settings.ts says why it is not Temporal's 100 ms).
  expect(registeredCooloffMs(first.description)).toBe(LAMBDA_SCALE_UP_COOLOFF_MS);
  const again = await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: localLambdaTarget(functionArn),
    identity: 'test',
    makeCurrent: true,
  });
  expect(again).toMatchObject({ action: 'unchanged', madeCurrent: false });
});

test('a bad ARN is refused before anything is sent', async () => {
  await expect(
    registerLambda({
      connection: native,
      namespace: 'default',
      version,
      target: { functionArn: 'shopflow-worker' },
      identity: 'test',
      makeCurrent: true,
    }),
  ).rejects.toThrow(/is not a Lambda function ARN/);
});

test("with no worker running, the dev server's worker controller invokes the Lambda and the order completes there", async () => {
  const order = testOrder('happy');
  const handle = await startOrder(client, order, { taskQueue });
  const result = (await handle.result()) as OrderResult;
  expect(result.status.state).toBe('COMPLETED');
  for (const step of result.status.steps) expect(isLambdaIdentity(step.worker)).toBe(true);
  const effects = readJournalLines(path.join(dir, 'journal.jsonl'));
  expect(effects.map((e) => e.effect)).toEqual(['reserve', 'charge', 'ship', 'notify']);

  // Idle exit: once the work is done, no invocation stays running.
  const environments = async () =>
    (
      (await (await fetch(`${testEnv('lambdaEndpoint')}/local/environments`)).json()) as {
        functionName: string;
        environments: { state: string }[];
      }[]
    ).find((f) => f.functionName === functionName)!;
  let busy = Infinity;
  for (let i = 0; i < 100 && busy > 0; i++) {
    busy = (await environments()).environments.filter((e) => e.state === 'busy' || e.state === 'starting').length;
    if (busy > 0) await sleep(200);
  }
  expect(busy).toBe(0);
});

test('the deploy:lambda, register:lambda and metrics commands work against the same local services', async () => {
  const env = {
    ...localAwsEnvironment(testEnv('lambdaEndpoint')),
    TEMPORAL_ADDRESS: testEnv('address'),
    SHOPFLOW_DEPLOYMENT_NAME: version.deploymentName,
    SHOPFLOW_BUILD_ID: version.buildId,
  };
  // The same zip again: nothing changed since version 1, so publishing returns version 1, as Lambda does.
  const deploy = startEntryPoint(
    'scripts/deploy-lambda.ts',
    ['--function', functionName, '--zip', path.join(dir, 'function.zip')],
    env,
  );
  expect((await deploy.exited).code).toBe(0);
  expect(deploy.output()).toContain(`Deployed at ${testEnv('lambdaEndpoint')}: ${functionArn}\n`);

  const register = startEntryPoint(
    'scripts/register-lambda.ts',
    ['--function-arn', functionArn, '--zip', path.join(dir, 'function.zip')],
    env,
  );
  expect((await register.exited).code).toBe(0);
  const recorded = fs.readdirSync(RECORDED_HISTORIES_DIR).filter((f) => f.endsWith('.json')).length;
  expect(register.output()).toMatch(
    new RegExp(`Guard: same workflow code as \\S+:1; the ${recorded} recorded histories replay on it`),
  );
  expect(register.output()).toMatch(/Version unchanged\./);
  expect(register.output()).toContain(
    `Scaler:             no-sync, scale-up cool-off ${LAMBDA_SCALE_UP_COOLOFF_MS} ms`,
  );
  // From a fresh namespace: the deployment first, then the version, current, and the check.
  expect(register.output()).toMatch(
    new RegExp(
      'temporal worker deployment create --name shopflow-serverless-\\w+\\n\\s+' +
        'temporal worker deployment create-version --deployment-name shopflow-serverless-\\w+ --build-id serverless-1[^]*' +
        'temporal worker deployment set-current-version [^]*' +
        'temporal worker deployment describe-version --deployment-name shopflow-serverless-\\w+ --build-id serverless-1 ' +
        '--report-task-queue-stats',
    ),
  );

  const metrics = startEntryPoint(
    'scripts/metrics.ts',
    ['--function', functionName, '--minutes', '5', '--period', '10'],
    env,
  );
  expect((await metrics.exited).code).toBe(0);
  const invocations = Number(/(\d+) invocation\(s\) in the window/.exec(metrics.output())?.[1]);
  // The controller's registration invocation, which (started seconds before the order) may also have run it.
  expect(invocations).toBeGreaterThanOrEqual(1);
  expect(metrics.output()).toMatch(/source: the Lambda service at http:\/\/127\.0\.0\.1:\d+/);
});
