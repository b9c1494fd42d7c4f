/**
 * Bad requests to the local Lambda service, sent with the AWS SDK v3 client as the deploy script and Temporal's
 * worker controller send them. Every row: AWS's error name, HTTP status and exact message, and proof that nothing
 * happened: no function created or changed, no invocation counted, no execution environment started.
 * What works is in test/lambda-local/lambda-api.test.ts.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { startLocalLambda, type LocalLambda } from '../../lambda-local/local-lambda';
import { LOCAL_LAMBDA_DEFAULTS } from '../../lambda-local/settings';
import { handlerZip, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { testEnv } from '../support/test-env';

const MISSING = 'no-such-function';
const MISSING_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${MISSING}`;
const SYNC_LIMIT = LOCAL_LAMBDA_DEFAULTS.maxSyncPayloadBytes;
const ASYNC_LIMIT = LOCAL_LAMBDA_DEFAULTS.maxAsyncPayloadBytes;
const EXISTING = 'bad-input-fn';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;
let zip: Buffer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-bad-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
  zip = await handlerZip(dir, 'v1');
  await lambda.send(new CreateFunctionCommand(createInput({})));
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

const createInput = (overrides: Partial<CreateFunctionCommandInput>) =>
  testFunctionInput(zip, { FunctionName: EXISTING, ...overrides });

const text = (s: string) => new TextEncoder().encode(s);
/** A valid JSON document of exactly `bytes` bytes. */
const jsonOfSize = (bytes: number) => text(JSON.stringify('x'.repeat(bytes - 2)));
const notAZip = () => text('PK\u0003\u0004 this is not really a zip');

/** [the request, the call, the AWS error name, HTTP status, the exact message]. */
const ROWS: [string, () => object, string, number, string][] = [
  [
    'GetFunction of an unknown function',
    () => new GetFunctionCommand({ FunctionName: MISSING }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'Invoke of an unknown function',
    () => new InvokeCommand({ FunctionName: MISSING }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'an Event invoke of an unknown ARN',
    () => new InvokeCommand({ FunctionName: MISSING_ARN, InvocationType: 'Event' }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'UpdateFunctionCode of an unknown function',
    () => new UpdateFunctionCodeCommand({ FunctionName: MISSING, ZipFile: zip }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'Invoke with a malformed JSON payload',
    () => new InvokeCommand({ FunctionName: EXISTING, Payload: text('{not json') }),
    'InvalidRequestContentException',
    400,
    'Could not parse request payload into json: the body is not valid JSON',
  ],
  [
    'an Event invoke with a malformed JSON payload',
    () => new InvokeCommand({ FunctionName: EXISTING, InvocationType: 'Event', Payload: text('[1,') }),
    'InvalidRequestContentException',
    400,
    'Could not parse request payload into json: the body is not valid JSON',
  ],
  [
    'a synchronous payload one byte over 6 MB',
    () => new InvokeCommand({ FunctionName: EXISTING, Payload: jsonOfSize(SYNC_LIMIT + 1) }),
    'RequestTooLargeException',
    413,
    `Request payload size (${SYNC_LIMIT + 1} bytes) exceeded the ${SYNC_LIMIT}-byte limit for synchronous invocation`,
  ],
  [
    'an Event payload one byte over 256 KB',
    () => new InvokeCommand({ FunctionName: EXISTING, InvocationType: 'Event', Payload: jsonOfSize(ASYNC_LIMIT + 1) }),
    'RequestTooLargeException',
    413,
    `Request payload size (${ASYNC_LIMIT + 1} bytes) exceeded the ${ASYNC_LIMIT}-byte limit for asynchronous invocation`,
  ],
  [
    'an unknown invocation type',
    () => new InvokeCommand({ FunctionName: EXISTING, InvocationType: 'Later' as 'Event' }),
    'InvalidParameterValueException',
    400,
    'InvocationType must be RequestResponse, Event or DryRun (got Later)',
  ],
  [
    'CreateFunction of a name that exists',
    () => new CreateFunctionCommand(createInput({})),
    'ResourceConflictException',
    409,
    `Function already exist: ${EXISTING}`,
  ],
  [
    'CreateFunction with a timeout of 0',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-timeout', Timeout: 0 })),
    'InvalidParameterValueException',
    400,
    'Timeout 0 must be between 1 and 900 seconds',
  ],
  [
    'CreateFunction with a handler that names no export',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-handler', Handler: 'index' })),
    'InvalidParameterValueException',
    400,
    'Handler "index" must look like file.export, for example index.handler',
  ],
  [
    'CreateFunction with a zip that is not one',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-zip', Code: { ZipFile: notAZip() } })),
    'InvalidParameterValueException',
    400,
    'Could not unzip the uploaded file: End of central directory record signature not found. Either not a zip file, or file is truncated.',
  ],
  [
    'UpdateFunctionCode with a zip that is not one',
    () => new UpdateFunctionCodeCommand({ FunctionName: EXISTING, ZipFile: notAZip() }),
    'InvalidParameterValueException',
    400,
    'Could not unzip the uploaded file: End of central directory record signature not found. Either not a zip file, or file is truncated.',
  ],
  [
    'a negative reserved concurrency',
    () => new PutFunctionConcurrencyCommand({ FunctionName: EXISTING, ReservedConcurrentExecutions: -1 }),
    'InvalidParameterValueException',
    400,
    'ReservedConcurrentExecutions must be a whole number, 0 or more',
  ],
];

/** Everything a request could have changed: the functions, their code and settings, invocations, environments. */
function serviceState() {
  return {
    functions: local.registry.list().map((f) => ({ ...f })),
    invocations: local.registry.list().map((f) => local.metrics.invocationsOf(f.FunctionName).length),
    concurrency: local.registry.list().map((f) => local.metrics.concurrency(f.FunctionName)),
  };
}

async function environments(): Promise<unknown> {
  return (await fetch(`${local.endpoint}/local/environments`)).json();
}

test.each(ROWS)('%s is refused; nothing changes', async (_name, command, errorName, status, message) => {
  const before = serviceState();
  const environmentsBefore = await environments();

  const error = await lambda.send(command() as never).then(
    () => new Error('the request succeeded'),
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: errorName, message, $metadata: { httpStatusCode: status } });

  expect(serviceState()).toEqual(before);
  expect(await environments()).toEqual(environmentsBefore);
});
