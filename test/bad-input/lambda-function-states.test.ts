/**
 * Function states, as Lambda has them: a new function is Pending until it is Active, an update leaves
 * LastUpdateStatus InProgress until it is Successful. Meanwhile the local service refuses what Lambda refuses, with
 * Lambda's ResourceConflictException, and nothing changes; the SDK's waiters see the transitions.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { handlerZip, LOCAL_WAITER, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { testEnv } from '../support/test-env';

/** Long enough for a row to run while the function is unsettled, short enough for the waiters. */
const TRANSITION_MS = 4000;

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'states-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0, stateTransitionMs: TRANSITION_MS });
  lambda = localLambdaClient(local.endpoint);
}, 60_000);
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

const pendingMessage =
  'The operation cannot be performed at this time. The function is currently in the following state: Pending';
const pendingResourceMessage = (arn: string) =>
  `The operation cannot be performed at this time. The resource ${arn} is currently in the following state: 'Pending'. StateReasonCode: 'Creating'`;
const inProgressMessage = (arn: string) =>
  `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`;

async function refusal(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number }; Type?: string } | undefined;
  if (!err) throw new Error('the call was expected to be refused');
  return { name: err.name, status: err.$metadata.httpStatusCode, message: err.message, type: err.Type };
}

const conflict = (message: string) => ({ name: 'ResourceConflictException', status: 409, message, type: 'User' });

/** What a refused call must leave alone: no environment, no invocation, no version, the same code and revision. */
function footprint(name: string) {
  const { record } = local.registry.resolve(name);
  return {
    environments: local.service.environmentsOf(name).length,
    versions: local.registry.versions.list(name).length,
    codeSha256: record.CodeSha256,
    revisionId: record.RevisionId,
    invocations: local.metrics.invocationsOf(name).length,
    queued: local.service.queued(name),
  };
}

const parse = (payload: Uint8Array | undefined) =>
  JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;

describe('a new function is Pending', () => {
  let name: string;
  let arn: string;
  beforeAll(async () => {
    const created = await lambda.send(new CreateFunctionCommand(testFunctionInput(await handlerZip(dir, 'v1'))));
    name = created.FunctionName!;
    arn = created.FunctionArn!;
    expect(created).toMatchObject({
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
    });
    expect(created.LastUpdateStatus).toBeUndefined();
  });

  test('GetFunction and GetFunctionConfiguration say Pending, with the reason Creating', async () => {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(fn.Configuration).toMatchObject({ State: 'Pending', StateReason: 'The function is being created.' });
  });

  const rows: [string, () => Promise<unknown>][] = [
    ['Invoke (RequestResponse)', () => lambda.send(new InvokeCommand({ FunctionName: name }))],
    ['Invoke (Event)', () => lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event' }))],
    ['Invoke (DryRun)', () => lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun' }))],
    ['PublishVersion', () => lambda.send(new PublishVersionCommand({ FunctionName: name }))],
    [
      'UpdateFunctionConfiguration',
      () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 })),
    ],
    [
      'UpdateFunctionCode',
      async () =>
        lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await handlerZip(dir, 'v2') })),
    ],
  ];
  test.each(rows)('%s is refused, and nothing changes', async (row, call) => {
    const before = footprint(name);
    const expected = row.startsWith('Invoke') ? pendingMessage : pendingResourceMessage(arn);
    expect(await refusal(call())).toEqual(conflict(expected));
    expect(footprint(name)).toEqual(before);
    expect(local.registry.statusOf(local.registry.resolve(name).record).State).toBe('Pending');
  });

  test('waitUntilFunctionActiveV2 sees Pending -> Active; then the same calls succeed', async () => {
    await waitUntilFunctionActiveV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: name });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(config.StateReasonCode).toBeUndefined();
    expect(parse((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload).version).toBe('v1');
    expect((await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event' }))).StatusCode).toBe(
      202,
    );
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version).toBe('1');
    expect(arn).toBe(config.FunctionArn);
  });
});

describe('an update is InProgress', () => {
  let name: string;
  let arn: string;
  beforeAll(async () => {
    const input = testFunctionInput(await handlerZip(dir, 'v1'));
    arn = (await lambda.send(new CreateFunctionCommand(input))).FunctionArn!;
    name = input.FunctionName!;
    await waitUntilFunctionActiveV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: name });
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version).toBe('1');
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await handlerZip(dir, 'v2') }),
    );
    expect(updated).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: 'The function is being created.',
      LastUpdateStatusReasonCode: 'Creating',
    });
  });

  test('GetFunction says Active, LastUpdateStatus InProgress; the published version is Active and Successful', async () => {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(fn.Configuration).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReasonCode: 'Creating',
    });
    const version = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }));
    expect(version).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    expect(Versions?.map((v) => [v.Version, v.LastUpdateStatus])).toEqual([
      ['$LATEST', 'InProgress'],
      ['1', 'Successful'],
    ]);
  });

  const rows: [string, () => Promise<unknown>][] = [
    [
      'UpdateFunctionCode',
      async () =>
        lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await handlerZip(dir, 'v3') })),
    ],
    [
      'UpdateFunctionCode (DryRun)',
      async () =>
        lambda.send(
          new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await handlerZip(dir, 'v3'), DryRun: true }),
        ),
    ],
    [
      'UpdateFunctionConfiguration',
      () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 })),
    ],
    ['PublishVersion', () => lambda.send(new PublishVersionCommand({ FunctionName: name }))],
  ];
  test.each(rows)('%s is refused, and nothing changes', async (_row, call) => {
    const before = footprint(name);
    expect(await refusal(call())).toEqual(conflict(inProgressMessage(arn)));
    expect(footprint(name)).toEqual(before);
  });

  test('the published version stays invocable, and $LATEST runs its previous code until the update is done', async () => {
    const v1 = await lambda.send(new InvokeCommand({ FunctionName: `${arn}:1` }));
    expect({ version: parse(v1.Payload).version, executed: v1.ExecutedVersion }).toEqual({
      version: 'v1',
      executed: '1',
    });
    const latest = await lambda.send(new InvokeCommand({ FunctionName: name }));
    expect({ version: parse(latest.Payload).version, executed: latest.ExecutedVersion }).toEqual({
      version: 'v1',
      executed: '$LATEST',
    });
  });

  test('waitUntilFunctionUpdatedV2 sees InProgress -> Successful; then the new code runs and publishing works', async () => {
    await waitUntilFunctionUpdatedV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: name });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(config.LastUpdateStatusReasonCode).toBeUndefined();
    expect(parse((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload).version).toBe('v2');
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version).toBe('2');
    const again = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    expect(again).toMatchObject({ Timeout: 9, LastUpdateStatus: 'InProgress' });
    await waitUntilFunctionUpdatedV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: name });
  });
});
