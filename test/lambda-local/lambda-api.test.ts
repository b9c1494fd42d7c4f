/** The local Lambda service driven by a real client we did not write: the AWS SDK v3 Lambda and CloudWatch clients. */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { localAwsClient } from '../../machinery/lambda-local/local-aws-clients';
import { waitFor } from '../../machinery/plumbing/wait-for';
import { createTestFunction, handlerZip, updateCodeAndWait } from '../support/function-zips';
import { processState } from '../support/host-processes';
import { testEnv } from '../support/test-env';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-local-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0, asyncRetryDelaysMs: [300, 300] });
  lambda = localAwsClient(LambdaClient, local.endpoint, { maxAttempts: 1 });
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parse = (payload?: Uint8Array) => JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;

const createFunction = (options: { timeout?: number; env?: Record<string, string> } = {}) =>
  createTestFunction(lambda, dir, options);

// Bad requests (unknown function, malformed JSON, oversized payloads, bad settings, broken zips) and their exact
// AWS errors: the table in test/bad-input/lambda-service-requests.test.ts.

test('GetFunction returns the configuration', async () => {
  const name = await createFunction();
  const got = await lambda.send(
    new GetFunctionCommand({ FunctionName: `arn:aws:lambda:us-east-1:000000000000:function:${name}` }),
  );
  expect(got.Configuration).toMatchObject({
    FunctionName: name,
    Handler: 'index.handler',
    Timeout: 10,
    MemorySize: 256,
    State: 'Active',
    LastUpdateStatus: 'Successful',
  });
});

test('a synchronous invoke returns the payload; the context counts down to the deadline; a warm environment is reused', async () => {
  const name = await createFunction();
  const first = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({ hello: 'world' }) }));
  expect(first.StatusCode).toBe(200);
  expect(first.ExecutedVersion).toBe('$LATEST');
  const body = parse(first.Payload);
  expect(body).toMatchObject({
    version: 'v1',
    event: { hello: 'world' },
    invocations: 1,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  });
  expect(body.remainingMs).toBeGreaterThan(8_000);
  expect(body.remainingMs).toBeLessThanOrEqual(10_000);
  const second = parse((await lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({}) }))).Payload);
  expect(second).toMatchObject({ invocations: 2, pid: body.pid });

  // The console's timeline reads each invocation's environment, and the cold one's init (REPORT's Init Duration).
  const reports = (await (await fetch(`${local.endpoint}/local/invocations`)).json()) as {
    functionName: string;
    finished: { environmentId?: string; initDurationMs?: number; startedAt: number; endedAt: number }[];
    running: unknown[];
  }[];
  const mine = reports.find((r) => r.functionName === name)!;
  expect(mine.running).toEqual([]);
  expect(mine.finished).toHaveLength(2);
  const [cold, warm] = mine.finished;
  expect(cold.environmentId).toMatch(/^env-[0-9a-f]{8}$/);
  expect(warm.environmentId).toBe(cold.environmentId);
  expect(cold.initDurationMs).toBeGreaterThan(0);
  expect(cold.initDurationMs).toBeLessThan(cold.endedAt - cold.startedAt);
  expect(warm).not.toHaveProperty('initDurationMs');
});

test('a handler error comes back as FunctionError with the error in the payload', async () => {
  const name = await createFunction();
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: json({ action: 'fail' }), LogType: 'Tail' }),
  );
  expect(result.FunctionError).toBe('Unhandled');
  expect(parse(result.Payload)).toMatchObject({
    errorType: 'TypeError',
    errorMessage: 'the handler failed on purpose',
  });
  expect(Buffer.from(result.LogResult ?? '', 'base64').toString()).toMatch(
    /START RequestId: .*\nEND RequestId: .*\nREPORT RequestId: .*Billed Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: [1-9]\d* MB\tInit Duration: \d+\.\d\d ms/s,
  );
});

test('an Event invoke returns 202 at once and runs in the background; failures are retried twice', async () => {
  const name = await createFunction();
  const file = path.join(dir, `${name}.events`);
  const accepted = await lambda.send(
    new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: json({ action: 'append', file }) }),
  );
  expect(accepted.StatusCode).toBe(202);
  const failing = path.join(dir, `${name}.failing`);
  await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      InvocationType: 'Event',
      Payload: json({ action: 'append', file: failing, thenFail: true }),
    }),
  );
  for (
    let i = 0;
    i < 50 &&
    !(fs.existsSync(file) && fs.existsSync(failing) && fs.readFileSync(failing, 'utf8').trim().split('\n').length >= 3);
    i++
  )
    await sleep(100);
  expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  expect(fs.readFileSync(failing, 'utf8').trim().split('\n')).toHaveLength(3);
});

test('the timeout kills the environment and the invocation fails with Sandbox.Timedout', async () => {
  const name = await createFunction({ timeout: 1 });
  const pid = parse((await lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({}) }))).Payload)
    .pid as number;
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: json({ action: 'sleep', ms: 5_000 }) }),
  );
  expect(result.FunctionError).toBe('Unhandled');
  expect(parse(result.Payload)).toMatchObject({
    errorType: 'Sandbox.Timedout',
    errorMessage: expect.stringContaining('Task timed out after 1.00 seconds'),
  });
  await sleep(100);
  expect(() => process.kill(pid, 0)).toThrow();
});

test('beyond the reserved concurrency a synchronous invoke is throttled', async () => {
  const name = await createFunction();
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
  const slow = lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({ action: 'sleep', ms: 1_500 }) }));
  await sleep(300);
  const second = await lambda
    .send(new InvokeCommand({ FunctionName: name, Payload: json({}) }))
    .catch((e: unknown) => e);
  // The SDK retries throttles; jest's module registry can hand back a class copy, so check the name and status.
  expect(second).toMatchObject({ name: TooManyRequestsException.name, $metadata: { httpStatusCode: 429 } });
  expect((await slow).StatusCode).toBe(200);
});

test('UpdateFunctionCode: the next invoke runs the new code', async () => {
  const name = await createFunction();
  expect(parse((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload).version).toBe('v1');
  const updated = await updateCodeAndWait(lambda, { FunctionName: name, ZipFile: await handlerZip(dir, 'v2') });
  expect(updated.CodeSha256).toBeTruthy();
  expect(parse((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload)).toMatchObject({
    version: 'v2',
    invocations: 1,
  });
});

test('between invocations the environment is frozen: nothing runs while it is idle', async () => {
  const tickFile = path.join(dir, `ticks-${Date.now()}`);
  const ticks = () => fs.statSync(tickFile).size; // one byte per tick of the function's background timer
  const name = await createFunction({ env: { TICK_FILE: tickFile } });
  const { pid } = parse((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload) as { pid: number };
  // The service freezes the environment once its runtime asks for the next event, just after the response.
  await waitFor(() => processState(pid) === 'T', {
    timeoutMs: 10_000,
    what: `environment pid ${pid} to be stopped (T)`,
  });
  const before = ticks();
  await sleep(500); // ten ticks' worth of time
  expect(ticks()).toBe(before);
  // Thawed for an invocation, the timer runs again: by the time a 300 ms invocation ends it has ticked at least once.
  await lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({ action: 'sleep', ms: 300 }) }));
  expect(ticks()).toBeGreaterThan(before);
});

test('CloudWatch GetMetricData reports invocations, errors and throttles per bucket', async () => {
  const name = await createFunction();
  await lambda.send(new InvokeCommand({ FunctionName: name }));
  await lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({ action: 'fail' }) }));
  const cloudwatch = localAwsClient(CloudWatchClient, local.endpoint, { maxAttempts: 1 });
  const metric = (id: string, metricName: string, stat = 'Sum') => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: name }] },
      Period: 60,
      Stat: stat,
    },
  });
  const now = new Date();
  const result = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - 5 * 60_000),
      EndTime: new Date(now.getTime() + 60_000),
      MetricDataQueries: [
        metric('inv', 'Invocations'),
        metric('err', 'Errors'),
        metric('thr', 'Throttles'),
        metric('dur', 'Duration', 'Maximum'),
      ],
    }),
  );
  cloudwatch.destroy();
  const total = (id: string) => result.MetricDataResults?.find((r) => r.Id === id)?.Values?.reduce((a, b) => a + b, 0);
  expect(total('inv')).toBe(2);
  expect(total('err')).toBe(1);
  expect(total('thr')).toBe(0);
  expect(total('dur')).toBeGreaterThan(0);
  expect(result.MetricDataResults?.[0].Timestamps?.[0]).toBeInstanceOf(Date);
});

// That the service and each environment's Runtime API listen on 127.0.0.1 only, read from the kernel's socket
// table: test/secrets/loopback-only.test.ts.
