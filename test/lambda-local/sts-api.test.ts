/**
 * The local service's STS, called with the AWS SDK v3's own STS client: AssumeRole as the worker controller makes
 * it, trust decided by the template's invocation role, temporary credentials that work for exactly what the role
 * allows, and AWS's refusals (each exact). The controller itself (AWS SDK for Go v2) is in
 * test/serverless/invocation-role.test.ts.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleCommandInput,
} from '@aws-sdk/client-sts';
import { LOCAL_USERS } from '../../machinery/lambda-local/local-aws-clients';
import { localAccountKeys } from '../../machinery/lambda-local/local-account';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { localInvocationRoleArn } from '../../machinery/lambda-local/local-roles';
import { createFunctionAndWait, handlerZip, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { testEnv } from '../support/test-env';

const FUNCTION = 'sts-fn';
const ROLE = localInvocationRoleArn(FUNCTION);
const keys = localAccountKeys();

let local: LocalLambda;
let developer: LambdaClient;
let published: string;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'sts-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  developer = localLambdaClient(local.endpoint);
  await createFunctionAndWait(developer, testFunctionInput(await handlerZip(dir, 'v1'), { FunctionName: FUNCTION }));
  published = (await developer.send(new PublishVersionCommand({ FunctionName: FUNCTION }))).FunctionArn!;
}, 60_000);
afterAll(async () => {
  developer?.destroy();
  await local?.close();
});

const sts = (key: { accessKeyId: string; secretAccessKey: string }) =>
  new STSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: key, maxAttempts: 1 });

const assume = (key: { accessKeyId: string; secretAccessKey: string }, input: Partial<AssumeRoleCommandInput>) =>
  sts(key).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'managed-workers-aws', ...input }));

test("the worker controller assumes the function's invocation role with the external id; the session may read and invoke that function, nothing else", async () => {
  const issued = await assume(keys.workerController, { ExternalId: keys.externalId });
  const credentials = {
    accessKeyId: issued.Credentials!.AccessKeyId!,
    secretAccessKey: issued.Credentials!.SecretAccessKey!,
    sessionToken: issued.Credentials!.SessionToken!,
  };
  expect(credentials.accessKeyId).toMatch(/^ASIA/);
  expect(issued.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(3500_000);
  const session = `arn:aws:sts::000000000000:assumed-role/${FUNCTION}-TemporalInvocationRole/managed-workers-aws`;
  expect(issued.AssumedRoleUser?.Arn).toBe(session);
  const who = await new STSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }).send(
    new GetCallerIdentityCommand({}),
  );
  expect(who.Arn).toBe(session);

  const asRole = new LambdaClient({ endpoint: local.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  expect((await asRole.send(new GetFunctionCommand({ FunctionName: published }))).Configuration?.Version).toBe('1');
  const invoked = await asRole.send(new InvokeCommand({ FunctionName: published, Payload: Buffer.from('{}') }));
  expect(invoked.StatusCode).toBe(200);
  await expect(
    asRole.send(new CreateFunctionCommand(testFunctionInput(Buffer.from('x'), { FunctionName: 'from-the-role' }))),
  ).rejects.toThrow(
    `User: ${session} is not authorized to perform: lambda:CreateFunction on resource: ` +
      'arn:aws:lambda:us-east-1:000000000000:function:from-the-role because no identity-based policy allows the lambda:CreateFunction action',
  );
  await expect(
    asRole.send(new InvokeCommand({ FunctionName: 'another-function', Payload: Buffer.from('{}') })),
  ).rejects.toThrow(
    `User: ${session} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:another-function`,
  );
  // The session token is part of the key: without it the same key id and secret are nobody's.
  const { sessionToken: _dropped, ...withoutToken } = credentials;
  const tokenless = new LambdaClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: withoutToken,
    maxAttempts: 1,
  });
  await expect(tokenless.send(new GetFunctionCommand({ FunctionName: published }))).rejects.toThrow(
    'The security token included in the request is invalid.',
  );
  asRole.destroy();
  tokenless.destroy();
});

const denied = (who: string, role = ROLE) =>
  `User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${role}`;

/** [the AssumeRole, who signs it, its input, the STS error code, the exact message]. */
const REFUSED: [
  string,
  () => { accessKeyId: string; secretAccessKey: string },
  Partial<AssumeRoleCommandInput>,
  string,
  string,
][] = [
  [
    "without the external id (the controller's probe: the trust policy must refuse it)",
    () => keys.workerController,
    {},
    'AccessDenied',
    denied(LOCAL_USERS.workerController),
  ],
  [
    'with a wrong external id',
    () => keys.workerController,
    { ExternalId: 'wrong-external-id' },
    'AccessDenied',
    denied(LOCAL_USERS.workerController),
  ],
  [
    'by the developer (the trust policy names only the worker controller)',
    () => keys.developer,
    { ExternalId: keys.externalId },
    'AccessDenied',
    denied(LOCAL_USERS.developer),
  ],
  [
    'the role of a function that does not exist (AWS does not say which it is)',
    () => keys.workerController,
    { RoleArn: localInvocationRoleArn('no-such-function'), ExternalId: keys.externalId },
    'AccessDenied',
    denied(LOCAL_USERS.workerController, localInvocationRoleArn('no-such-function')),
  ],
  [
    'for longer than the role allows',
    () => keys.workerController,
    { ExternalId: keys.externalId, DurationSeconds: 7200 },
    'ValidationError',
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  ],
  [
    'with a wrong secret',
    () => ({ ...keys.workerController, secretAccessKey: 'not-the-secret' }),
    { ExternalId: keys.externalId },
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided.',
  ],
];

test.each(REFUSED)('AssumeRole %s is refused', async (_name, key, input, code, message) => {
  const calls = (await (await fetch(`${local.endpoint}/local/calls`)).json()) as unknown[];
  const error = (await assume(key(), input).catch((err: unknown) => err)) as { name: string; message: string };
  expect(error.name).toBe(code);
  expect(error.message).toContain(message);
  // A refusal issues nothing: the only new record is the refusal itself (or none, when the input was invalid).
  const after = (await (await fetch(`${local.endpoint}/local/calls`)).json()) as { outcome: string }[];
  expect(after.slice(calls.length).every((c) => c.outcome !== 'allowed')).toBe(true);
});
