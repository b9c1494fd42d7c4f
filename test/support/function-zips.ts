/** Small Lambda packages for testing the local Lambda service: each a zip holding one handler file. */

import fs from 'node:fs';
import path from 'node:path';
import {
  CreateFunctionCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type CreateFunctionCommandInput,
  type CreateFunctionCommandOutput,
  type UpdateFunctionCodeCommandInput,
  type UpdateFunctionCodeCommandOutput,
} from '@aws-sdk/client-lambda';
import { writeZip } from '../../machinery/plumbing/zip';
import { localAwsClient } from '../../machinery/lambda-local/local-aws-clients';
import { uniqueName } from './test-worker';

/**
 * Handlers, selected by the event's `action`: echo it back, fail, sleep, keep the CPU busy, count invocations in
 * this environment, or append a line to a file. A background ticker appends one byte to TICK_FILE every 50 ms, so a frozen environment
 * shows. One byte is one write(2): a freeze (SIGSTOP) can never leave the file half-written, whatever the load.
 */
const HANDLER_SOURCE = (version: string) => `
const fs = require('node:fs');
let invocations = 0;
if (process.env.TICK_FILE) {
  fs.writeFileSync(process.env.TICK_FILE, '');
  setInterval(() => fs.appendFileSync(process.env.TICK_FILE, '.'), 50).unref();
}
exports.handler = async (event, context) => {
  invocations++;
  switch (event.action) {
    case 'fail': throw new TypeError('the handler failed on purpose');
    case 'sleep': await new Promise((r) => setTimeout(r, event.ms)); return { slept: event.ms };
    case 'spin': { const until = Date.now() + event.ms; while (Date.now() < until); return { spun: event.ms, pid: process.pid }; }
    case 'append': fs.appendFileSync(event.file, context.awsRequestId + '\\n'); if (event.thenFail) throw new Error('append then fail'); return 'appended';
    default: return { version: ${JSON.stringify(version)}, event, invocations, pid: process.pid, remainingMs: context.getRemainingTimeInMillis(), requestId: context.awsRequestId, arn: context.invokedFunctionArn, functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION };
  }
};`;

export async function handlerZip(dir: string, version: string): Promise<Buffer> {
  return sourceZip(dir, HANDLER_SOURCE(version));
}

/** A zip holding one handler file, index.js, with `source`. */
export async function sourceZip(dir: string, source: string): Promise<Buffer> {
  const folder = fs.mkdtempSync(path.join(dir, 'fn-'));
  fs.writeFileSync(path.join(folder, 'index.js'), source);
  const zipFile = path.join(folder, 'function.zip');
  await writeZip([{ name: 'index.js', file: path.join(folder, 'index.js') }], zipFile);
  return fs.readFileSync(zipFile);
}

/** A client of the local Lambda service, as the deploy script and the worker controller are (no retries: errors show). */
export function localLambdaClient(endpoint: string): LambdaClient {
  return localAwsClient(LambdaClient, endpoint, { maxAttempts: 1 });
}

/** CreateFunction's input for a test function running `zip`; any field can be overridden. */
export function testFunctionInput(
  zip: Uint8Array,
  overrides: Partial<CreateFunctionCommandInput> = {},
): CreateFunctionCommandInput {
  return {
    FunctionName: uniqueName('fn'),
    Runtime: 'nodejs22.x',
    Role: 'arn:aws:iam::000000000000:role/local',
    Handler: 'index.handler',
    Code: { ZipFile: zip },
    ...overrides,
  };
}

/**
 * How the tests wait for a function to settle, with the SDK's own waiters: every 0.2 s at first, at most 1 s apart
 * (the waiters take fractions of a second: they multiply by 1000), for at most a minute.
 */
export const LOCAL_WAITER = { maxWaitTime: 60, minDelay: 0.2, maxDelay: 1 };

/** CreateFunction, then waits until the function is Active (Lambda refuses Invoke and PublishVersion while Pending). */
export async function createFunctionAndWait(
  lambda: LambdaClient,
  input: CreateFunctionCommandInput,
): Promise<CreateFunctionCommandOutput> {
  const created = await lambda.send(new CreateFunctionCommand(input));
  await waitUntilFunctionActiveV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: input.FunctionName });
  return created;
}

/** UpdateFunctionCode, then waits until LastUpdateStatus is Successful (before the next update or PublishVersion). */
export async function updateCodeAndWait(
  lambda: LambdaClient,
  input: UpdateFunctionCodeCommandInput,
): Promise<UpdateFunctionCodeCommandOutput> {
  const updated = await lambda.send(new UpdateFunctionCodeCommand(input));
  await waitUntilFunctionUpdatedV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: input.FunctionName });
  return updated;
}

/** Creates a test function running the handlers above, waits until it is Active and returns its name. */
export async function createTestFunction(
  lambda: LambdaClient,
  dir: string,
  options: { timeout?: number; env?: Record<string, string>; memoryMb?: number } = {},
): Promise<string> {
  const input = testFunctionInput(await handlerZip(dir, 'v1'), {
    Timeout: options.timeout ?? 10,
    MemorySize: options.memoryMb ?? 256,
    Environment: { Variables: options.env ?? {} },
  });
  await createFunctionAndWait(lambda, input);
  return input.FunctionName!;
}
