/**
 * The V8 compile cache in the Lambda zip, consumed for real: the package is built (the cache made by the runtime's
 * Node), deployed to a local Lambda service whose environments run that Node with Lambda's flags, and invoked. The
 * handler's and the workflow thread's V8 code caches must be accepted by V8 (vm.Script's cachedDataRejected, said in
 * the function's log); with source maps on, both load with require, and Node's own debug lines
 * (NODE_DEBUG_NATIVE=COMPILE_CACHE) must say it accepted their compile cache entries. A function of another memory
 * size starts Node with other heap flags: its log must say the cache is not used, and why.
 */

import fs from 'node:fs';
import path from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { BUILD_INFO_FILE, type BuildInfo } from '../../lambda/build-info';
import { lambdaNodeFlags } from '../../machinery/lambda-entry/runtime-flags';
import { localPackageArchitecture } from '../../machinery/lambda-entry/host-platform';
import { buildLambdaPackage } from '../../machinery/deployment/lambda-package';
import { LAMBDA_RUNTIME } from '../../machinery/deployment/lambda-deployment';
import { DEFAULT_COMPILE_CACHE_MEMORY_MB } from '../../machinery/deployment/compile-cache';
import { listZip, readZipEntry } from '../../machinery/plumbing/zip';
import { RUNTIME_NODE_VERSIONS } from '../../machinery/plumbing/runtime-node';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { createFunctionAndWait, localLambdaClient } from '../support/function-zips';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

let dir: string;
let zipFile: string;
let lambda: LocalLambda;
let client: LambdaClient;
const deploymentName = uniqueName('shopflow-cache-test');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'compile-cache-'));
  const built = await buildLambdaPackage({
    arch: localPackageArchitecture(),
    includeCerts: false,
    outFile: path.join(dir, 'function.zip'),
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: deploymentName, SHOPFLOW_BUILD_ID: 'cache-test-1' },
  });
  zipFile = built.outFile;
  // A service of its own: its environments run the runtime's Node (nodejs22.x), as the bench's and the demo's do.
  lambda = await startLocalLambda({
    stateDir: path.join(dir, 'lambda-local'),
    port: 0,
    runtimeNode: true,
    log: () => {},
  });
  client = localLambdaClient(lambda.endpoint);
}, 180_000);

afterAll(async () => {
  client?.destroy();
  await lambda?.close();
});

/** Creates a function running the package with `memoryMb`, invokes it once (no task comes) and returns its log. */
async function runOnce(memoryMb: number, nodeOptions = ''): Promise<string> {
  const functionName = uniqueName('cache-fn');
  await createFunctionAndWait(client, {
    FunctionName: functionName,
    Runtime: LAMBDA_RUNTIME,
    Role: 'arn:aws:iam::000000000000:role/local',
    Handler: 'index.handler',
    Code: { ZipFile: fs.readFileSync(zipFile) },
    Timeout: 60,
    MemorySize: memoryMb,
    Environment: {
      Variables: {
        NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
        NODE_OPTIONS: nodeOptions,
        TEMPORAL_ADDRESS: testEnv('address'),
        TEMPORAL_TASK_QUEUE: uniqueName('cache-queue'),
        SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS: '200',
        SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '200',
      },
    },
  });
  const response = await client.send(new InvokeCommand({ FunctionName: functionName }));
  const body = Buffer.from(response.Payload ?? []).toString();
  expect({ error: response.FunctionError, body }).toEqual({
    error: undefined,
    body: expect.stringContaining('no-task'),
  });
  return fs.readFileSync(path.join(dir, 'lambda-local', 'logs', `${functionName}.log`), 'utf8');
}

test('the zip carries the cache for the handler and the workflow thread, made by the runtime Node', async () => {
  const names = (await listZip(zipFile)).map((entry) => entry.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'compile-cache/handler.js.cache',
      'compile-cache/handler.js.v8cache',
      'compile-cache/workflow-thread-main.js.cache',
      'compile-cache/workflow-thread-main.js.v8cache',
    ]),
  );
  const info = JSON.parse(String(await readZipEntry(zipFile, BUILD_INFO_FILE))) as BuildInfo;
  expect(info.compileCache).toMatchObject({
    node: `v${RUNTIME_NODE_VERSIONS[LAMBDA_RUNTIME]}`,
    memoryMb: DEFAULT_COMPILE_CACHE_MEMORY_MB,
    v8Flags: lambdaNodeFlags(DEFAULT_COMPILE_CACHE_MEMORY_MB),
    files: ['handler.js', 'workflow-thread-main.js'],
    codeCacheFiles: ['handler.js', 'workflow-thread-main.js'],
  });
});

test('on the runtime Node with the memory it was made for, V8 accepts the entries', async () => {
  const log = await runOnce(DEFAULT_COMPILE_CACHE_MEMORY_MB);
  expect(log).toContain('ShopFlow compile cache: used (2 of 2 entries');
  // V8's own verdict on each code cache, in the handler's and in the workflow thread's line (a refused one: REJECTED).
  expect(log).toContain('handler.js: V8 code cache taken after load');
  expect(log).toContain('ShopFlow workflow thread: workflow-thread-main.js: V8 code cache taken after load');
}, 120_000);

test('with source maps on, the handler loads with require and Node accepts its compile cache entry', async () => {
  const log = await runOnce(DEFAULT_COMPILE_CACHE_MEMORY_MB, '--enable-source-maps');
  expect(log).toContain('handler.js: require, not its full V8 code cache (source maps are on)');
  expect(log).toMatch(/cache for \S+\/handler\.js was accepted/);
  expect(log).toMatch(/cache for \S+\/workflow-thread-main\.js was accepted/);
}, 120_000);

test('a function of another memory size says, in its log, that it cannot use the cache and how to fix it', async () => {
  const log = await runOnce(2048);
  expect(log).toContain(`ShopFlow compile cache: NOT used: it was made for ${DEFAULT_COMPILE_CACHE_MEMORY_MB} MB`);
  expect(log).toContain('npm run build:lambda -- --compile-cache-memory 2048');
  expect(log).not.toMatch(/cache for \S+\/handler\.js was accepted/);
}, 120_000);
