/**
 * The invocation role as Temporal Cloud uses it, on the laptop: a real dev server whose worker controller requires a
 * role and external id (as Temporal Cloud's does) calls STS and Lambda at the local service, signed with its own
 * keys, and every decision comes from the roles of infra/iam-roles.json. First what the controller calls, in order;
 * then a table of registrations it refuses, each with its exact message and nothing registered.
 */

import fs from 'node:fs';
import path from 'node:path';
import { PublishVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { NativeConnection } from '@temporalio/worker';
import { describeVersion, registerLambda, type LambdaTarget } from '../../machinery/deployment/lambda-registration';
import { localLambdaEnvironment, startDevServer, type DevServer } from '../../machinery/devstack/dev-server';
import { LOCAL_USERS, localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { freePort } from '../../machinery/plumbing/ports';
import type { CallRecord } from '../../machinery/lambda-local/local-access';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { localInvocationRoleArn, readIamTemplate } from '../../machinery/lambda-local/local-roles';
import { createFunctionAndWait, handlerZip, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { testEnv } from '../support/test-env';

type Template = {
  Resources: {
    TemporalInvocationRole: {
      Properties: {
        AssumeRolePolicyDocument: { Statement: { Condition?: unknown }[] };
        Policies: { PolicyDocument: { Statement: { Action: string[] }[] } }[];
      };
    };
  };
};

/** The template as a customer might have changed it, per function: the name says how. */
function templateFor(functionName: string): unknown {
  const template = readIamTemplate() as Template;
  const role = template.Resources.TemporalInvocationRole.Properties;
  if (functionName === 'role-no-condition') delete role.AssumeRolePolicyDocument.Statement[0].Condition;
  if (functionName === 'role-no-get') role.Policies[0].PolicyDocument.Statement[0].Action = ['lambda:InvokeFunction'];
  if (functionName === 'role-no-invoke') role.Policies[0].PolicyDocument.Statement[0].Action = ['lambda:GetFunction'];
  return template;
}

let dir: string;
let local: LocalLambda;
let server: DevServer;
let lambda: LambdaClient;
let connection: NativeConnection;
const published: Record<string, string> = {};
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'invocation-role-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0, iamTemplate: templateFor });
  server = await startDevServer({
    cli: testEnv('cli'),
    port: await freePort(),
    env: localLambdaEnvironment(local.endpoint, {}),
    logFile: path.join(dir, 'dev-server.log'),
  });
  lambda = localLambdaClient(local.endpoint);
  const zip = await handlerZip(dir, 'v1');
  for (const name of ['role-ok', 'role-no-condition', 'role-no-get', 'role-no-invoke']) {
    await createFunctionAndWait(lambda, testFunctionInput(zip, { FunctionName: name }));
    published[name] = (await lambda.send(new PublishVersionCommand({ FunctionName: name }))).FunctionArn!;
  }
  connection = await NativeConnection.connect({ address: server.address });
}, 120_000);
afterAll(async () => {
  await connection?.close();
  lambda?.destroy();
  await server?.stop();
  await local?.close();
});

let builds = 0;
const register = (target: LambdaTarget) => {
  const version = { deploymentName: 'invocation-role', buildId: `b${++builds}` };
  return {
    version,
    done: registerLambda({ connection, namespace: 'default', version, target, identity: 'test', makeCurrent: false }),
  };
};

const calls = async (): Promise<CallRecord[]> =>
  (await (await fetch(`${local.endpoint}/local/calls`)).json()) as CallRecord[];

test('registering: the controller assumes the role with the external id, reads the function, checks that the role refuses it without the external id, then invokes with a fresh session', async () => {
  const since = Date.now();
  const { done } = register(localLambdaTarget(published['role-ok']));
  expect((await done).action).toBe('created');

  const session = `arn:aws:sts::000000000000:assumed-role/role-ok-TemporalInvocationRole/managed-workers-aws`;
  const role = localInvocationRoleArn('role-ok');
  const seen = (await calls())
    .filter((c) => c.at >= since)
    .map((c) => [
      c.caller,
      c.action,
      c.resource,
      c.outcome,
      ...(c.withExternalId === undefined ? [] : [c.withExternalId]),
    ]);
  expect(seen.slice(0, 5)).toEqual([
    [LOCAL_USERS.workerController, 'sts:AssumeRole', role, 'allowed', true],
    [session, 'lambda:GetFunction', published['role-ok'], 'allowed'],
    [LOCAL_USERS.workerController, 'sts:AssumeRole', role, 'AccessDenied', false],
    [LOCAL_USERS.workerController, 'sts:AssumeRole', role, 'allowed', true],
    [session, 'lambda:InvokeFunction', published['role-ok'], 'allowed'],
  ]);
  // The controller's own keys never reach Lambda: only the role's session does.
  expect(seen.filter((c) => c[0] === LOCAL_USERS.workerController).every((c) => c[1] === 'sts:AssumeRole')).toBe(true);
});

const assumeDenied = (fn: string) =>
  `cannot connect to the compute provider: failed to assume role ${localInvocationRoleArn(fn)}: operation error STS: AssumeRole, https response error StatusCode: 403`;

/** [the registration, its target, what the dev server answers, the call the local service refused (if one)]. */
const REFUSED: [string, () => LambdaTarget, string, [string, string] | undefined][] = [
  [
    'no role (Temporal Cloud requires one)',
    () => ({ functionArn: published['role-ok'] }),
    'AWS Lambda compute provider requires "role" to be configured',
    undefined,
  ],
  [
    'a wrong external id',
    () => ({ ...localLambdaTarget(published['role-ok']), externalId: 'not-the-external-id' }),
    assumeDenied('role-ok'),
    ['sts:AssumeRole', 'AccessDenied'],
  ],
  [
    'a trust policy without the external-id condition',
    () => localLambdaTarget(published['role-no-condition']),
    `IAM role trust policy does not enforce ExternalID condition: role ${localInvocationRoleArn('role-no-condition')} does not require the configured external ID; update the role's trust policy to enforce the aws:ExternalId condition`,
    undefined,
  ],
  [
    'a role without lambda:GetFunction on the function',
    () => localLambdaTarget(published['role-no-get']),
    `cannot access the compute resource: operation error Lambda: GetFunction, https response error StatusCode: 403`,
    ['lambda:GetFunction', 'AccessDenied'],
  ],
  [
    'a role without lambda:InvokeFunction on the function',
    () => localLambdaTarget(published['role-no-invoke']),
    'something went wrong, please retry',
    ['lambda:InvokeFunction', 'AccessDenied'],
  ],
];

test.each(REFUSED)('refused: %s; nothing is registered', async (_name, target, message, refusedCall) => {
  const since = Date.now();
  const { version, done } = register(target());
  await expect(done).rejects.toThrow(message);
  const info = await describeVersion(connection, 'default', version);
  expect(info?.computeConfig?.scalingGroups?.default).toBeUndefined();
  if (refusedCall) {
    const refused = (await calls())
      .filter((c) => c.at >= since && c.outcome !== 'allowed')
      .map((c) => [c.action, c.outcome]);
    expect(refused).toContainEqual(refusedCall);
  }
});
