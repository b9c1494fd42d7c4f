/**
 * The redeploy guard against the real dev server and the local Lambda service: a build id keeps one workflow bundle.
 * Each refused row shows its exact message, and that nothing was published (the function's versions) and nothing
 * registered (the build id's compute). The allowed row, an activity-only fix, moves the build id to a new version.
 */

import fs from 'node:fs';
import path from 'node:path';
import { ListVersionsByFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { deployLambda } from '../../machinery/deployment/lambda-deployment';
import { buildLambdaPackage } from '../../machinery/deployment/lambda-package';
import { describeVersion, registerLambda, registeredTarget } from '../../machinery/deployment/lambda-registration';
import { localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { redeploy } from '../../machinery/deployment/redeploy';
import { guardRegistration } from '../../machinery/deployment/registration-guard';
import { readZipEntry } from '../../machinery/plumbing/zip';
import { BUILD_INFO_FILE, type BuildInfo } from '../../lambda/build-info';
import { RECORDED_HISTORIES_DIR } from '../../machinery/deployment/redeploy-guard';
import { localLambdaClient } from '../support/function-zips';
import { startEntryPoint } from '../support/processes';
import { repackage } from '../support/repackage';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

const deploymentName = uniqueName('shopflow-guard');
const version = { deploymentName, buildId: 'g2' };
const functionA = uniqueName('guard-a');
const functionB = uniqueName('guard-b');
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
let dir: string;
let lambda: LambdaClient;
let native: NativeConnection;
const zips = { original: '', workflowChanged: '', activityFix: '', staleBuildInfo: '' };
/** What the stale package's build-info.json says its workflow hash is, and what its bundle really hashes to. */
const stale = { recorded: '', actual: '' };
let badHistories: string;

const functionEnv = () => ({
  TEMPORAL_ADDRESS: testEnv('address'),
  TEMPORAL_TASK_QUEUE: uniqueName('guard-queue'),
  SHOPFLOW_JOURNAL: path.join(dir, 'journal.jsonl'),
  SHOPFLOW_LATENCY_SCALE: '0',
  SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '1000',
});
/** The test's functions run on x86_64; a redeploy asked for arm64 must be refused before anything is built. */
const hostArch = 'x86_64';
const otherArch = 'arm64';
const create = (functionName: string) => ({
  roleArn: 'arn:aws:iam::000000000000:role/shopflow-lambda',
  architecture: 'x86_64' as const,
  timeoutSeconds: 60,
  memoryMb: 1024,
  environment: functionEnv(),
  functionName,
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'guard-'));
  lambda = localLambdaClient(testEnv('lambdaEndpoint'));
  native = await NativeConnection.connect({ address: testEnv('address') });
  zips.original = path.join(dir, 'function.zip');
  await buildLambdaPackage({
    arch: 'x86_64',
    includeCerts: false,
    outFile: zips.original,
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: deploymentName, SHOPFLOW_BUILD_ID: version.buildId },
  });
  // The same build id with the workflow's steps reordered, and with an activity-side change only.
  const reordered = await bundleWorkflowCode({
    workflowsPath: require.resolve('../replay/fixtures/reordered-workflow'),
    logger: new DefaultLogger('WARN'),
  });
  zips.workflowChanged = path.join(dir, 'workflow-changed.zip');
  await repackage(zips.original, zips.workflowChanged, { workflowBundle: reordered.code });
  // The workflow changed but build-info.json still names the original bundle: it must not pass as "same workflow".
  zips.staleBuildInfo = path.join(dir, 'stale-build-info.zip');
  stale.actual = (
    await repackage(zips.original, zips.staleBuildInfo, { workflowBundle: reordered.code, keepBuildInfo: true })
  ).workflowBundleSha256;
  stale.recorded = (
    JSON.parse(String(await readZipEntry(zips.original, BUILD_INFO_FILE))) as BuildInfo
  ).workflowBundleSha256;
  zips.activityFix = path.join(dir, 'activity-fix.zip');
  await repackage(zips.original, zips.activityFix, {
    addFile: { name: 'activity-fix.txt', content: 'a fix in an activity' },
  });
  // A recorded order the new bundle cannot replay: one v1 accepted with a field today's validation refuses.
  badHistories = path.join(dir, 'histories');
  fs.mkdirSync(badHistories);
  const happy = JSON.parse(fs.readFileSync(path.join(RECORDED_HISTORIES_DIR, 'happy.json'), 'utf8'));
  const payload = happy.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
  const order = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
  payload.data = Buffer.from(JSON.stringify({ ...order, giftWrap: true })).toString('base64');
  historyFromJSON(happy); // still a valid history
  fs.writeFileSync(path.join(badHistories, 'v1-gift-wrap.json'), JSON.stringify(happy));

  // g2 is registered to A's version 1; B is another function with a version of its own.
  for (const name of [functionA, functionB]) {
    const { functionName, ...settings } = create(name);
    await deployLambda({
      client: lambda,
      functionName,
      zipFile: zips.original,
      publish: true,
      log: () => {},
      create: settings,
    });
  }
  await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: localLambdaTarget(`${arnOf(functionA)}:1`),
    identity: 'test',
    makeCurrent: true,
  });
});
afterAll(async () => {
  lambda?.destroy();
  await native?.close();
});

const versionsOf = async (name: string) =>
  ((await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions ?? []).map((v) => v.Version);
const registeredArn = async () => registeredTarget(await describeVersion(native, 'default', version))?.functionArn;
const redeployTo = (functionName: string, zipFile: string, historiesDir?: string, arch?: 'x86_64' | 'arm64') =>
  redeploy({
    lambda,
    connection: native,
    namespace: 'default',
    functionName,
    zipFile,
    skipBuild: true,
    arch,
    historiesDir,
    identity: 'test',
    log: () => {},
  });

const staleMessage = () =>
  `${zips.staleBuildInfo} does not hold the workflow code its build-info.json names: it records workflow sha256 ` +
  `${stale.recorded.slice(0, 12)}..., but its workflow-bundle.js hashes to ${stale.actual.slice(0, 12)}... ` +
  '(the package was changed after it was built): rebuild it with npm run build:lambda';

/** [row, the attempt, the exact message]; every row leaves A and B with version 1 only and g2 on A:1. */
const ROWS: [string, () => Promise<unknown>, () => string | RegExp][] = [
  [
    'changed workflow code under the same build id',
    () => redeployTo(functionA, zips.workflowChanged),
    () =>
      new RegExp(
        '^workflow code changed: bump SHOPFLOW_BUILD_ID \\(g2 -> g3\\) so orders in flight stay on g2 ' +
          `\\(registered ${arnOf(functionA)}:1 has workflow sha256 [0-9a-f]{12}\\.\\.\\., the new build [0-9a-f]{12}\\.\\.\\.\\)$`,
      ),
  ],
  [
    'the same workflow code, but a recorded history does not replay on it',
    () => redeployTo(functionA, zips.activityFix, badHistories),
    () =>
      'the new workflow bundle cannot replay the recorded history v1-gift-wrap.json ([TMPRL1100] Nondeterminism error: ' +
      'Fail workflow machine does not handle this event: HistoryEvent(id: 5, ActivityTaskScheduled)): ' +
      'bump SHOPFLOW_BUILD_ID (g2 -> g3) so orders in flight stay on g2',
  ],
  [
    'a package for another architecture than the function runs on',
    () => redeployTo(functionA, zips.activityFix, undefined, otherArch),
    () =>
      `function ${functionA} runs on ${hostArch}, but --arch ${otherArch} was asked: a package for ${otherArch} would ` +
      "fail at every invocation. Leave --arch out (the function's architecture is the default), or create a " +
      `${otherArch} function`,
  ],
  [
    'a package whose build-info.json names another workflow bundle than it holds (redeploy)',
    () => redeployTo(functionA, zips.staleBuildInfo),
    () => staleMessage(),
  ],
  [
    'a package whose build-info.json names another workflow bundle than it holds (register:lambda)',
    () =>
      guardRegistration({
        lambda,
        connection: native,
        namespace: 'default',
        version,
        functionArn: `${arnOf(functionA)}:1`,
        allowLatest: false,
        zipFile: zips.staleBuildInfo,
      }),
    () => staleMessage(),
  ],
  [
    'a build id registered to another function',
    () => redeployTo(functionB, zips.activityFix),
    () =>
      `build id g2 is already registered to another function (${arnOf(functionA)}:1), not ${functionB}: ` +
      `give this function its own build id (SHOPFLOW_BUILD_ID=g3) or deploy to ${functionA}`,
  ],
];

test.each(ROWS)('refused: %s; nothing is published or registered', async (_row, attempt, message) => {
  const error = (await attempt().then(
    () => undefined,
    (e: unknown) => e,
  )) as Error;
  expect(error).toBeInstanceOf(Error);
  const expected = message();
  if (typeof expected === 'string') expect(error.message).toBe(expected);
  else expect(error.message).toMatch(expected);
  expect(await versionsOf(functionA)).toEqual(['$LATEST', '1']);
  expect(await versionsOf(functionB)).toEqual(['$LATEST', '1']);
  expect(await registeredArn()).toBe(`${arnOf(functionA)}:1`);
});

test('refused: register:lambda with an unqualified ARN and no --allow-latest; nothing is registered', async () => {
  const env = {
    TEMPORAL_ADDRESS: testEnv('address'),
    SHOPFLOW_DEPLOYMENT_NAME: deploymentName,
    SHOPFLOW_BUILD_ID: version.buildId,
  };
  const run = startEntryPoint('scripts/register-lambda.ts', ['--function-arn', arnOf(functionA)], env);
  expect((await run.exited).code).toBe(1);
  expect(run.output().trim().split('\n').at(-1)).toBe(
    `register:lambda: "${arnOf(functionA)}" is not version-qualified: register a published version (npm run deploy:lambda ` +
      'publishes one and prints its ARN, ending in :N), or pass --allow-latest to register $LATEST anyway',
  );
  expect(await registeredArn()).toBe(`${arnOf(functionA)}:1`);
});

test('allowed: an activity-only fix under the same build id moves g2 to the new published version', async () => {
  const result = await redeployTo(functionA, zips.activityFix);
  expect(result.verdict).toEqual({
    kind: 'same-workflow',
    registeredArn: `${arnOf(functionA)}:1`,
    historiesReplayed: fs.readdirSync(RECORDED_HISTORIES_DIR).filter((f) => f.endsWith('.json')).length,
  });
  expect(result.publishedArn).toBe(`${arnOf(functionA)}:2`);
  expect(await versionsOf(functionA)).toEqual(['$LATEST', '1', '2']);
  expect(await registeredArn()).toBe(`${arnOf(functionA)}:2`);
  expect(result.versions).toEqual([
    expect.objectContaining({ buildId: 'g2', status: 'CURRENT', functionArn: `${arnOf(functionA)}:2` }),
  ]);
});
