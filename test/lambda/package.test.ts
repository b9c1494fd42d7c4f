/**
 * The Lambda package as Lambda sees it: built by `buildLambdaPackage` for this machine's architecture, unpacked into
 * a temporary folder (on a Mac with the Mac's core added, as the local Lambda service does) and loaded in a fresh
 * Node process with no access to the project's node_modules, then invoked against the real dev server while a real
 * order is submitted.
 */

import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { RUST_TARGET } from '../../machinery/lambda-entry/check-package';
import { localPackageArchitecture } from '../../machinery/lambda-entry/host-platform';
import { overlayHostNativeCore } from '../../machinery/lambda-local/native-core-overlay';
import { buildLambdaPackage, type BuildResult } from '../../machinery/deployment/lambda-package';
import { sha256Hex } from '../../machinery/deployment/package-hashes';
import { extractZip, listZip } from '../../machinery/plumbing/zip';
import {} from '../../config/settings';
import type { OrderResult } from '../../domain/status';
import { ensureCurrentVersion } from '../../worker/ensure-current-version';
import { testOrder } from '../support/orders';
import { startPackagedHandler } from '../support/packaged-handler';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';
import { startOrder } from '../../client/start-order';
import { readJournalLines } from '../../machinery/devstack/run-ledger';

/** The package this machine's local Lambda service runs, and the other architecture, which it must refuse. */
const HOST_ARCH = localPackageArchitecture();
const OTHER_ARCH = HOST_ARCH === 'x86_64' ? 'arm64' : 'x86_64';

let dir: string;
let hostBuild: BuildResult;
const deploymentName = uniqueName('shopflow-lambda-test');
const buildEnv = { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: deploymentName, SHOPFLOW_BUILD_ID: 'lambda-test-1' };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-'));
  hostBuild = await buildLambdaPackage({
    arch: HOST_ARCH,
    includeCerts: false,
    outFile: path.join(dir, 'function.zip'),
    env: buildEnv,
  });
});

interface Invocation {
  ok: boolean;
  result?: { identity: string; stopReason: string; activitiesStarted: number; connectMs: number; workTimeMs: number };
  error?: string;
  loadMs: number;
  requestId: string;
}

function invoke(
  taskRoot: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): { done: Promise<Invocation>; output: () => string } {
  const run = startPackagedHandler(taskRoot, timeoutMs, env);
  const done = run.done.then((finished) => {
    if (!finished.invocation) throw new Error(`no invocation result:\n${finished.output}`);
    return finished.invocation as Invocation;
  });
  return { done, output: run.output };
}

test('the zip holds one native binary, for its architecture, and no secrets', async () => {
  const names = (await listZip(hostBuild.outFile)).map((e) => e.name);
  expect(names.filter((n) => n.endsWith('.node'))).toEqual([`releases/${RUST_TARGET[HOST_ARCH]}/index.node`]);
  expect(names).toEqual(
    expect.arrayContaining([
      'index.js',
      'index.js.map',
      'workflow-bundle.js',
      'workflow-worker-thread.js',
      'temporal.toml',
      'build-info.json',
      'mappings.wasm',
    ]),
  );
  expect(names.filter((n) => /\.(pem|key|crt)$|(^|\/)\.env$|node_modules\//.test(n))).toEqual([]);
  expect(hostBuild.info).toMatchObject({
    deploymentName,
    buildId: 'lambda-test-1',
    architecture: HOST_ARCH,
    includesCerts: false,
  });
  expect(hostBuild.zippedBytes).toBeLessThan(50 * 1024 * 1024);
  // build-info.json names the workflow bundle actually packed, so a redeploy can tell a workflow change.
  const unpacked = path.join(dir, 'hash-check');
  await extractZip(hostBuild.outFile, unpacked);
  expect(hostBuild.info.workflowBundleSha256).toBe(
    sha256Hex(fs.readFileSync(path.join(unpacked, 'workflow-bundle.js'))),
  );
  expect(JSON.parse(fs.readFileSync(path.join(unpacked, 'build-info.json'), 'utf8'))).toMatchObject({
    workflowBundleSha256: hostBuild.info.workflowBundleSha256,
    otherCodeSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
});

test(`an ${OTHER_ARCH} build carries only its own binary, and refuses to load on ${HOST_ARCH} with a clear message`, async () => {
  const other = await buildLambdaPackage({
    arch: OTHER_ARCH,
    includeCerts: false,
    outFile: path.join(dir, `function-${OTHER_ARCH}.zip`),
    env: buildEnv,
  });
  const names = (await listZip(other.outFile)).map((e) => e.name);
  expect(names.filter((n) => n.endsWith('.node'))).toEqual([`releases/${RUST_TARGET[OTHER_ARCH]}/index.node`]);
  const root = fs.mkdtempSync(path.join(dir, `${OTHER_ARCH}-`));
  await extractZip(other.outFile, root);
  overlayHostNativeCore(root);
  const run = invoke(root, 30_000, {});
  await expect(run.done).rejects.toThrow(
    `built for ${OTHER_ARCH} but the function runs on ${HOST_ARCH}: rebuild with \`npm run build:lambda -- --arch ${HOST_ARCH}\``,
  );
});

test('--include-certs refuses certificate files that do not exist, and writes no zip', async () => {
  const outFile = path.join(dir, 'with-certs.zip');
  await expect(buildLambdaPackage({ arch: HOST_ARCH, includeCerts: true, outFile, env: buildEnv })).rejects.toThrow(
    /--include-certs: certs\/client\.pem \(named in temporal\.toml\) does not exist/,
  );
  expect(fs.existsSync(outFile)).toBe(false);
});

test('the unpacked zip, loaded like Lambda loads it, completes a real order and then exits once its cache is empty', async () => {
  const root = fs.mkdtempSync(path.join(dir, `${HOST_ARCH}-`));
  await extractZip(hostBuild.outFile, root);
  overlayHostNativeCore(root); // a Mac's core next to the Linux one, as the local Lambda service adds it; nothing on Linux
  const taskQueue = uniqueName('shopflow-lambda');
  const journal = path.join(dir, `${taskQueue}.jsonl`);
  const run = invoke(root, 30_000, {
    TEMPORAL_ADDRESS: testEnv('address'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    SHOPFLOW_JOURNAL: journal,
    SHOPFLOW_LATENCY_SCALE: '0',
    SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '3000',
  });

  const version = { deploymentName, buildId: 'lambda-test-1' };
  const native = await NativeConnection.connect({ address: testEnv('address') });
  await ensureCurrentVersion({
    connection: native,
    namespace: 'default',
    version,
    identity: 'lambda-test',
    timeoutMs: 30_000,
  });
  await native.close();
  const client = new Client({
    connection: await Connection.connect({ address: testEnv('address') }),
    namespace: 'default',
  });
  const order = testOrder('happy');
  const handle = await startOrder(client, order, { taskQueue });
  const result = (await handle.result()) as OrderResult;
  await client.connection.close();

  const invocation = await run.done;
  // The completed order left the worker's cache, so no task can come back on its sticky queue: the worker stops
  // after the short cache-empty grace, not after the 3 s idle exit.
  expect(invocation).toMatchObject({ ok: true, result: { stopReason: 'cache-empty', activitiesStarted: 4 } });
  const lambdaIdentity = `${invocation.requestId}@arn:aws:lambda:us-east-1:000000000000:function:shopflow-test`;
  expect(invocation.result?.identity).toBe(lambdaIdentity);
  expect(result.status.steps.map((s) => s.worker)).toEqual([
    lambdaIdentity,
    lambdaIdentity,
    lambdaIdentity,
    lambdaIdentity,
  ]);
  const effects = readJournalLines(journal);
  expect(effects.map((e) => e.effect)).toEqual(['reserve', 'charge', 'ship', 'notify']);
  // Structured JSON logs for CloudWatch: every activity line carries the request id, order id and step.
  const logLines = run
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const chargeLog = logLines.find((l) => l.message === 'chargeCustomer done');
  expect(chargeLog).toMatchObject({
    level: 'INFO',
    function_request_id: invocation.requestId,
    orderId: order.orderId,
    step: 'chargeCustomer',
  });
});
