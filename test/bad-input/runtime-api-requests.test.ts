/**
 * Each execution environment's Runtime API answers only its own runtime: a request naming another Host (a
 * DNS-rebinding page) or carrying an Origin header (any web page) is refused with 403 and takes nothing: the
 * environment's next event still reaches its runtime. (AWS's runtime client takes AWS_LAMBDA_RUNTIME_API as
 * host:port, so a secret path is not possible; see runtime-api-server.ts.)
 */

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
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
let local: LocalLambda;
let lambda: LambdaClient;
let name: string;
let runtimeApi: string;

const invoke = async (event: object) =>
  JSON.parse(
    new TextDecoder().decode(
      (await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }))).Payload,
    ),
  ) as { event: { n: number }; invocations: number; pid: number };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'runtime-api-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
  name = await createTestFunction(lambda, dir);
  await invoke({ n: 0 });
  // The handler's own AWS_LAMBDA_RUNTIME_API, read from the environment's process.
  const [environment] = local.service.environmentsOf(name);
  const environ = fs.readFileSync(`/proc/${environment.pid}/environ`, 'utf8').split('\0');
  runtimeApi = environ.find((v) => v.startsWith('AWS_LAMBDA_RUNTIME_API='))!.split('=')[1];
}, 60_000);
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

function raw(method: string, urlPath: string, headers: Record<string, string>) {
  const [host, port] = runtimeApi.split(':');
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = http.request({ host, port: Number(port), method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

const ROWS: [string, string, string, Record<string, string>, (port: string) => string][] = [
  [
    'taking the next event, naming another Host (DNS rebinding)',
    'GET',
    '/2018-06-01/runtime/invocation/next',
    { host: 'rebound.example' },
    (api) =>
      `Host "rebound.example" is not this Runtime API: send requests to http://${api} (requests naming another host, as a DNS-rebinding web page does, are refused)`,
  ],
  [
    'taking the next event from a web page (Origin header)',
    'GET',
    '/2018-06-01/runtime/invocation/next',
    { origin: 'http://evil.example' },
    () =>
      `this Runtime API takes no requests from web pages (Origin "http://evil.example"): only the runtime inside this function's execution environment calls it`,
  ],
  [
    'reporting an init error from a web page (Origin header)',
    'POST',
    '/2018-06-01/runtime/init/error',
    { origin: 'http://evil.example', 'content-type': 'text/plain' },
    () =>
      `this Runtime API takes no requests from web pages (Origin "http://evil.example"): only the runtime inside this function's execution environment calls it`,
  ],
];

test.each(ROWS)(
  '%s is refused; the runtime still gets its events',
  async (_name, method, urlPath, headers, message) => {
    const reply = await raw(method, urlPath, { host: runtimeApi, ...headers });
    expect(reply).toEqual({ status: 403, body: { errorType: 'AccessDenied', errorMessage: message(runtimeApi) } });
    const before = local.metrics.invocationsOf(name).length;
    const result = await invoke({ n: before });
    expect(result.event).toEqual({ n: before });
    // The same environment, not one started after the old one was broken.
    expect(local.service.environmentsOf(name)).toHaveLength(1);
  },
);

test('a response over 6 MB is refused by size, counted to its end but not kept', async () => {
  const source = path.join(dir, 'big.js');
  const bytes = 7 * 1024 * 1024;
  fs.writeFileSync(source, `exports.handler = async () => 'x'.repeat(${bytes - 2});\n`);
  const zipFile = path.join(dir, 'big.zip');
  await writeZip([{ name: 'big.js', file: source }], zipFile);
  const big = await createFunctionAndWait(
    lambda,
    testFunctionInput(fs.readFileSync(zipFile), { Handler: 'big.handler', Timeout: 10, MemorySize: 256 }),
  );
  const reply = await lambda.send(new InvokeCommand({ FunctionName: big.FunctionName }));
  expect(reply.FunctionError).toBe('Unhandled');
  expect(JSON.parse(new TextDecoder().decode(reply.Payload))).toEqual({
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${6 * 1024 * 1024} bytes).`,
  });
});
