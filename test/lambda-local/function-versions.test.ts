/**
 * Published versions in the local Lambda service, driven by the AWS SDK v3 client: a version keeps running its own
 * code after $LATEST changes, qualified invokes reach it (and tell the handler which version and ARN it runs as),
 * ListVersionsByFunction lists them, DeleteFunction removes a version or the whole function. AWS's errors throughout.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { waitFor } from '../../machinery/plumbing/wait-for';
import { createTestFunction, handlerZip, localLambdaClient, updateCodeAndWait } from '../support/function-zips';
import { testEnv } from '../support/test-env';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;
const ARN_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-versions-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

const parse = (payload?: Uint8Array) => JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
const invoke = async (FunctionName: string, Qualifier?: string) => {
  const result = await lambda.send(new InvokeCommand({ FunctionName, Qualifier }));
  return { executed: result.ExecutedVersion, ...parse(result.Payload) };
};
/** The error an SDK call fails with, as name, HTTP status and message. */
const failure = async (call: Promise<unknown>) => {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode: number } };
  return err && { name: err.name, status: err.$metadata.httpStatusCode, message: err.message };
};

test('a published version keeps running its own code after UpdateFunctionCode; $LATEST runs the new code', async () => {
  const name = await createTestFunction(lambda, dir);
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'shopflow v1' }));
  expect(published).toMatchObject({ Version: '1', Description: 'shopflow v1', FunctionArn: `${ARN_PREFIX}${name}:1` });
  await updateCodeAndWait(lambda, { FunctionName: name, ZipFile: await handlerZip(dir, 'v2') });

  expect(await invoke(name)).toMatchObject({
    version: 'v2',
    executed: '$LATEST',
    functionVersion: '$LATEST',
    arn: `${ARN_PREFIX}${name}`,
  });
  // By Qualifier and by a version-qualified ARN (how Temporal's worker controller invokes a registered version).
  expect(await invoke(name, '1')).toMatchObject({
    version: 'v1',
    executed: '1',
    functionVersion: '1',
    arn: `${ARN_PREFIX}${name}:1`,
  });
  expect(await invoke(`${ARN_PREFIX}${name}:1`)).toMatchObject({
    version: 'v1',
    executed: '1',
    arn: `${ARN_PREFIX}${name}:1`,
  });

  const second = await updateCodeAndWait(lambda, {
    FunctionName: name,
    ZipFile: await handlerZip(dir, 'v3'),
    Publish: true,
  });
  expect(second.Version).toBe('2');
  expect(await invoke(name, '2')).toMatchObject({ version: 'v3', executed: '2' });
  expect(await invoke(name, '1')).toMatchObject({ version: 'v1', executed: '1' });
});

test('an Event invoke of a version runs that version', async () => {
  const name = await createTestFunction(lambda, dir);
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await updateCodeAndWait(lambda, { FunctionName: name, ZipFile: await handlerZip(dir, 'v2') });
  const file = path.join(dir, `${name}.event`);
  const payload = new TextEncoder().encode(JSON.stringify({ action: 'append', file }));
  const accepted = await lambda.send(
    new InvokeCommand({ FunctionName: `${name}:1`, InvocationType: 'Event', Payload: payload }),
  );
  expect(accepted).toMatchObject({ StatusCode: 202, ExecutedVersion: '1' });
  await waitFor(() => fs.existsSync(file), { timeoutMs: 10_000, what: 'the event to run' });
  expect(local.service.environmentsOf(name).length).toBe(1);
  expect(fs.readFileSync(path.join(dir, 'state', 'logs', `${name}.log`), 'utf8')).toMatch(
    /START RequestId: \S+ Version: 1\n/,
  );
});

test('publishing unchanged code returns the same version; GetFunction and ListVersionsByFunction show each', async () => {
  const name = await createTestFunction(lambda, dir);
  const first = await lambda.send(
    new PublishVersionCommand({ FunctionName: name, Description: 'build v2 workflow sha256:aaa' }),
  );
  const again = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'ignored' }));
  expect(again).toMatchObject({ Version: '1', Description: 'build v2 workflow sha256:aaa' });
  await updateCodeAndWait(lambda, { FunctionName: name, ZipFile: await handlerZip(dir, 'v2') });
  const second = await lambda.send(
    new PublishVersionCommand({ FunctionName: name, Description: 'build v3 workflow sha256:bbb' }),
  );

  const got = await lambda.send(new GetFunctionCommand({ FunctionName: `${ARN_PREFIX}${name}:1` }));
  expect(got.Configuration).toMatchObject({
    Version: '1',
    Description: 'build v2 workflow sha256:aaa',
    CodeSha256: first.CodeSha256,
  });
  const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  expect(listed.Versions?.map((v) => [v.Version, v.Description, v.CodeSha256])).toEqual([
    ['$LATEST', '', second.CodeSha256],
    ['1', 'build v2 workflow sha256:aaa', first.CodeSha256],
    ['2', 'build v3 workflow sha256:bbb', second.CodeSha256],
  ]);
  expect(first.CodeSha256).not.toBe(second.CodeSha256);
  const paged = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 2 }));
  expect(paged.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
  const rest = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: paged.NextMarker }));
  expect(rest).toMatchObject({ Versions: [{ Version: '2' }] });
  expect(rest.NextMarker).toBeUndefined();
});

test('DeleteFunction removes one version (numbers are never reused), then the whole function', async () => {
  const name = await createTestFunction(lambda, dir);
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await invoke(name, '1');
  await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }));
  expect(await failure(invoke(name, '1'))).toEqual({
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Function not found: ${ARN_PREFIX}${name}:1`,
  });
  await updateCodeAndWait(lambda, { FunctionName: name, ZipFile: await handlerZip(dir, 'v2') });
  expect((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version).toBe('2');

  await lambda.send(new DeleteFunctionCommand({ FunctionName: `${ARN_PREFIX}${name}` }));
  expect(await failure(lambda.send(new GetFunctionCommand({ FunctionName: name })))).toEqual({
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Function not found: ${ARN_PREFIX}${name}`,
  });
  expect(fs.existsSync(path.join(dir, 'state', 'functions', name))).toBe(false);
  // Its idle environments are reaped, not left running.
  await waitFor(() => local.service.environmentsOf(name).length === 0, {
    timeoutMs: 5_000,
    what: "the deleted function's environments to go",
  });
});

test('bad version requests fail with AWS errors and change nothing', async () => {
  const name = await createTestFunction(lambda, dir);
  const arn = `${ARN_PREFIX}${name}`;
  expect(await failure(invoke(name, '7'))).toEqual({
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Function not found: ${arn}:7`,
  });
  expect(
    await failure(lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: 'not-the-code' }))),
  ).toEqual({
    name: 'PreconditionFailedException',
    status: 412,
    message: expect.stringMatching(
      /^CodeSHA256 \(not-the-code\) is different from current CodeSHA256 in \$LATEST \(.+\)\. Please try again/,
    ),
  });
  expect(await failure(lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '$LATEST' })))).toEqual({
    name: 'InvalidParameterValueException',
    status: 400,
    message: '$LATEST version cannot be deleted without deleting the function.',
  });
  expect(await failure(lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '3' })))).toEqual({
    name: 'ResourceNotFoundException',
    status: 404,
    message: `Function not found: ${arn}:3`,
  });
  const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  expect(listed.Versions?.map((v) => v.Version)).toEqual(['$LATEST']);
  expect(await invoke(name)).toMatchObject({ version: 'v1', executed: '$LATEST' });
});
