/**
 * Issue 21: Lambda delivers an asynchronous event at least once (a fault switch delivers some twice), a throttled
 * event is tried again after Lambda's back-off (1 s, doubling), and an on-demand environment's INIT is limited
 * (Lambda: 10 s; here a shorter cap, which the service says at start).
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { writeZip } from '../../machinery/plumbing/zip';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import {
  createFunctionAndWait,
  createTestFunction,
  localLambdaClient,
  testFunctionInput,
} from '../support/function-zips';
import { testEnv } from '../support/test-env';

let dir: string;
let plain: LocalLambda;
let duplicating: LocalLambda;
let plainClient: LambdaClient;
let duplicatingClient: LambdaClient;
const said: string[] = [];
/** What the plain service narrated (its console lines: cold starts, throttles, back-offs). */
const narrated: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'async-init-'));
  plain = await startLocalLambda({
    stateDir: path.join(dir, 'plain'),
    port: 0,
    maxInitMs: 1_000,
    log: () => {},
    narrate: (line) => narrated.push(line),
  });
  duplicating = await startLocalLambda({
    stateDir: path.join(dir, 'duplicating'),
    port: 0,
    duplicateEvents: 1,
    log: (line) => said.push(line),
  });
  plainClient = localLambdaClient(plain.endpoint);
  duplicatingClient = localLambdaClient(duplicating.endpoint);
});
afterAll(async () => {
  plainClient?.destroy();
  duplicatingClient?.destroy();
  await plain?.close();
  await duplicating?.close();
});

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : []);

async function appendOnce(lambda: LambdaClient, local: LocalLambda, file: string): Promise<string[]> {
  const name = await createTestFunction(lambda, dir);
  const accepted = await lambda.send(
    new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: json({ action: 'append', file }) }),
  );
  expect(accepted.StatusCode).toBe(202);
  for (let i = 0; i < 100 && (lines(file).length < 1 || local.service.queued(name) > 0); i++) await sleep(100);
  await sleep(1_000); // a second delivery, if any, has had its time
  return lines(file);
}

test('with the duplicate-delivery switch on, one Event invoke runs twice, each with its own request id', async () => {
  const ran = await appendOnce(duplicatingClient, duplicating, path.join(dir, 'twice.events'));
  expect(ran).toHaveLength(2);
  expect(new Set(ran).size).toBe(2);
  expect(said).toContain(
    'Local Lambda: 100% of asynchronous events are delivered twice (AWS: a function may "receive the same event from Lambda multiple times")',
  );
});

test('with it off (the default), one Event invoke runs once', async () => {
  expect(await appendOnce(plainClient, plain, path.join(dir, 'once.events'))).toHaveLength(1);
});

test("a throttled event is tried again after Lambda's back-off (1 s, then 2 s, ...), not the moment capacity frees; it counts once as a throttle", async () => {
  const name = await createTestFunction(plainClient, dir);
  await plainClient.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
  const file = path.join(dir, 'throttled.events');
  const sendEvent = (payload: unknown) =>
    plainClient.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: json(payload) }));
  const startedAt = Date.now();
  // The first event holds the one environment for 2 s (plus its cold start): the second finds no capacity.
  expect((await sendEvent({ action: 'sleep', ms: 2_000 })).StatusCode).toBe(202);
  const secondSentAt = Date.now();
  expect((await sendEvent({ action: 'append', file })).StatusCode).toBe(202);
  const secondAcceptedAt = Date.now();
  for (let i = 0; i < 200 && plain.metrics.invocationsOf(name).length < 2; i++) await sleep(100);

  expect(lines(file)).toHaveLength(1);
  const [secondId] = lines(file);
  const finished = plain.metrics.invocationsOf(name);
  expect(finished).toHaveLength(2);
  const second = finished.find((i) => i.requestId === secondId)!;
  const first = finished.find((i) => i.requestId !== secondId)!;
  // Each throttle is narrated with its back-off: 1 s, then doubling while the first event still runs.
  const backoffs = narrated
    .map((line) =>
      new RegExp(
        `^${name}: event ${secondId.slice(0, 8)} throttled \\(concurrency 1 in use\\); next attempt in (\\d+) s$`,
      ).exec(line),
    )
    .filter((match) => match !== null)
    .map((match) => Number(match[1]));
  expect(backoffs.length).toBeGreaterThanOrEqual(2); // at 0 s and at 1 s the first event was still running
  expect(backoffs).toEqual(backoffs.map((_, i) => 2 ** i));
  // It ran when its last back-off ended (1 + 2 + ... s after its first attempt), after the first event had ended:
  // without the back-off it would have run the moment the first ended, about 2 s in.
  const waitedMs = (2 ** backoffs.length - 1) * 1000;
  expect(second.startedAt).toBeGreaterThanOrEqual(first.endedAt);
  expect(second.startedAt - secondSentAt).toBeGreaterThanOrEqual(waitedMs);
  expect(second.startedAt - secondAcceptedAt).toBeLessThan(waitedMs + 1_000);
  expect(second.error).toBe(false);
  // CloudWatch's view: one throttle for the event however often it was tried, two invocations, no error.
  const sum = (metric: 'Throttles' | 'Invocations' | 'Errors') =>
    plain.metrics
      .series(name, metric, 'Sum', startedAt - 1_000, Date.now() + 1_000, 3600)
      .values.reduce((a, b) => a + b, 0);
  expect({ throttles: sum('Throttles'), invocations: sum('Invocations'), errors: sum('Errors') }).toEqual({
    throttles: 1,
    invocations: 2,
    errors: 0,
  });
}, 60_000);

/** A function whose module top level busy-waits INIT_MS before the handler is exported. */
async function slowInitFunction(initMs: number, timeoutSeconds: number): Promise<string> {
  const folder = fs.mkdtempSync(path.join(dir, 'slow-init-'));
  fs.writeFileSync(
    path.join(folder, 'index.js'),
    `const until = Date.now() + ${initMs}; while (Date.now() < until);\nexports.handler = async () => ({ pid: process.pid });\n`,
  );
  const zipFile = path.join(folder, 'function.zip');
  await writeZip([{ name: 'index.js', file: path.join(folder, 'index.js') }], zipFile);
  const input = testFunctionInput(fs.readFileSync(zipFile), { Timeout: timeoutSeconds, MemorySize: 256 });
  await createFunctionAndWait(plainClient, input);
  return input.FunctionName!;
}

const tailOf = (result: { LogResult?: string }) => Buffer.from(result.LogResult ?? '', 'base64').toString();

test('an INIT past the cap is stopped (INIT_REPORT Status: timeout) and retried under the function timeout, which a 12 s INIT misses', async () => {
  const name = await slowInitFunction(12_000, 3);
  const started = Date.now();
  const result = await plainClient.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: json({}) }));
  const tookMs = Date.now() - started;
  expect(result.FunctionError).toBe('Unhandled');
  const body = JSON.parse(new TextDecoder().decode(result.Payload)) as Record<string, unknown>;
  expect(body).toMatchObject({
    errorType: 'Sandbox.Timedout',
    errorMessage: expect.stringContaining('Task timed out after 3.00 seconds'),
  });
  const tail = tailOf(result);
  expect(tail).toMatch(/INIT_REPORT Init Duration: 1\d{3}\.\d\d ms\tPhase: init\tStatus: timeout/);
  // The REPORT line carries the first INIT, billed with the rest: cap (1 s) + function timeout (3 s).
  const report = /REPORT RequestId: .*Billed Duration: (\d+) ms.*\tInit Duration: (1\d{3}\.\d\d) ms/.exec(tail);
  expect(report).not.toBeNull();
  expect(Number(report![1])).toBeGreaterThanOrEqual(4_000);
  expect(tookMs).toBeGreaterThanOrEqual(4_000);
  expect(tookMs).toBeLessThan(8_000);
  expect(plain.service.environmentsOf(name)).toHaveLength(0); // both environments are gone
}, 30_000);

test('an INIT past the cap that fits in the retried Init runs the handler; both INITs show and are billed', async () => {
  const name = await slowInitFunction(1_500, 10);
  const result = await plainClient.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: json({}) }));
  expect(result.FunctionError).toBeUndefined();
  const tail = tailOf(result);
  expect(tail).toMatch(/INIT_REPORT Init Duration: 1\d{3}\.\d\d ms\tPhase: init\tStatus: timeout/);
  const report = /REPORT RequestId: .*Billed Duration: (\d+) ms.*\tInit Duration: (\d+\.\d\d) ms/.exec(tail);
  expect(report).not.toBeNull();
  expect(Number(report![2])).toBeGreaterThanOrEqual(2_500);
  expect(Number(report![1])).toBeGreaterThanOrEqual(2_500);
}, 30_000);
