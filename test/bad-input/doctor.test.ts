/**
 * `npm run doctor` against real services with each defect planted: IAM roles on moto's server, functions on the
 * local Lambda service, a registration on the dev server. Each row plants one defect and expects exactly that
 * check to fail, with its fix; the baseline passes every check the local stack can pass.
 */

import fs from 'node:fs';
import path from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { PublishVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { NativeConnection } from '@temporalio/worker';
import { runDoctor, templatePrincipals } from '../../machinery/deployment/doctor';
import type { DoctorRow } from '../../machinery/deployment/doctor-checks';
import { registerLambda } from '../../machinery/deployment/lambda-registration';
import { writeZip } from '../../machinery/plumbing/zip';
import { localAwsClient, localLambdaTarget } from '../../machinery/lambda-local/local-aws-clients';
import { localInvocationRoleArn } from '../../machinery/lambda-local/local-roles';
import { createFunctionAndWait, handlerZip, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { ledgerServer, stopLedgerServer } from '../support/ledger-server';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

let dir: string;
let lambda: LambdaClient;
let iam: IAMClient;
let native: NativeConnection;
const version = { deploymentName: uniqueName('doctor'), buildId: 'd1' };
const fns: Record<'good' | 'arm64' | 'short' | 'cloudProfile' | 'frozenKey', string> = {} as never;
const roles: Record<'good' | 'noCondition', string> = {} as never;
let zipFile: string;
let tomlFile: string;

async function createRole(name: string, condition: boolean): Promise<string> {
  const statement = {
    Effect: 'Allow',
    Principal: { AWS: templatePrincipals() },
    Action: 'sts:AssumeRole',
    ...(condition && { Condition: { StringEquals: { 'sts:ExternalId': 'shopflow-demo' } } }),
  };
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    }),
  );
  return Role!.Arn!;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'doctor-'));
  lambda = localLambdaClient(testEnv('lambdaEndpoint'));
  iam = localAwsClient(IAMClient, (await ledgerServer()).endpoint);
  native = await NativeConnection.connect({ address: testEnv('address') });
  roles.good = await createRole(uniqueName('invoke-good'), true);
  roles.noCondition = await createRole(uniqueName('invoke-open'), false);

  const code = await handlerZip(dir, 'v1');
  const ledgerEnv = { SHOPFLOW_LEDGER: 'dynamodb:shopflow-ledger' };
  const create = async (overrides: Record<string, unknown>, env: Record<string, string> = {}) => {
    const input = testFunctionInput(code, {
      Timeout: 90,
      Environment: { Variables: { ...ledgerEnv, ...env } },
      ...overrides,
    });
    await createFunctionAndWait(lambda, input);
    return input.FunctionName!;
  };
  fns.good = await create({ Architectures: ['x86_64'] });
  fns.arm64 = await create({ Architectures: ['arm64'] });
  fns.short = await create({ Architectures: ['x86_64'], Timeout: 30 });
  fns.cloudProfile = await create({ Architectures: ['x86_64'] }, { TEMPORAL_PROFILE: 'cloud' });
  fns.frozenKey = await create({ Architectures: ['x86_64'] }, { TEMPORAL_API_KEY: 'sk-frozen' });
  const { FunctionArn } = await lambda.send(new PublishVersionCommand({ FunctionName: fns.good }));
  // Registered with its invocation role and external id: the local dev server, like Temporal Cloud, takes no other.
  await registerLambda({
    connection: native,
    namespace: 'default',
    version,
    target: localLambdaTarget(FunctionArn!),
    identity: 'doctor-test',
    makeCurrent: false,
  });

  tomlFile = path.join(dir, 'temporal.toml');
  fs.writeFileSync(
    tomlFile,
    `[profile.local]\naddress = "${testEnv('address')}"\nnamespace = "default"\n\n` +
      '[profile.cloud]\naddress = "<region>.<cloud>.api.temporal.io:7233"\nnamespace = "<namespace>.<account-id>"\n',
  );
  const info = path.join(dir, 'build-info.json');
  fs.writeFileSync(info, JSON.stringify({ ...version, architecture: 'x86_64' }));
  zipFile = path.join(dir, 'function.zip');
  await writeZip(
    [
      { name: 'build-info.json', file: info },
      { name: 'temporal.toml', file: tomlFile },
    ],
    zipFile,
  );
});
afterAll(async () => {
  lambda?.destroy();
  iam?.destroy();
  await native?.close();
  await stopLedgerServer();
});

function doctor(options: { fn?: keyof typeof fns; profile?: string; roleArn?: string; env?: NodeJS.ProcessEnv }) {
  return runDoctor({
    profile: options.profile ?? 'local',
    functionName: fns[options.fn ?? 'good'],
    zipFile,
    roleArn: options.roleArn ?? roles.good,
    env: {
      TEMPORAL_CONFIG_FILE: tomlFile,
      SHOPFLOW_LEDGER: 'dynamodb:shopflow-ledger',
      AWS_REGION: 'us-east-1',
      ...options.env,
    },
    lambda,
    iam,
    connect: (config) => NativeConnection.connect(config.connectionOptions),
  });
}

const failing = (rows: DoctorRow[]) => rows.filter((r) => r.outcome === 'fail').map((r) => r.check);
const row = (rows: DoctorRow[], check: string) => rows.find((r) => r.check === check)!;

test('the baseline passes everything: the registration carries its role (the local server refuses one without)', async () => {
  const rows = await doctor({});
  expect(failing(rows)).toEqual([]);
  expect(row(rows, 'registered version').detail).toContain(`role ${localInvocationRoleArn(fns.good)}`);
  expect(row(rows, 'invocation role trust')).toMatchObject({ outcome: 'pass' });
});

test.each<[string, Parameters<typeof doctor>[0], string, RegExp]>([
  ['a profile with placeholders', { profile: 'cloud' }, 'profile cloud', /still has a placeholder address/],
  ['an arm64 function for an x86_64 package', { fn: 'arm64' }, 'package architecture', /runs on arm64/],
  [
    'a function that connects with the placeholder profile',
    { fn: 'cloudProfile' },
    "the package's profile",
    /placeholders/,
  ],
  ['a timeout under the longest activity', { fn: 'short' }, 'function timeout', /the function timeout is 30 s/],
  [
    'a terminal on another ledger than the function',
    { env: { SHOPFLOW_LEDGER: 'file' } },
    'ledger',
    /this terminal records in file/,
  ],
  [
    'a trust policy without the external id',
    { roleArn: 'noCondition' },
    'invocation role trust',
    /without an external id/,
  ],
])('%s fails its check, with a fix', async (_row, options, check, detail) => {
  const resolved = options.roleArn === 'noCondition' ? { ...options, roleArn: roles.noCondition } : options;
  const rows = await doctor(resolved);
  expect(failing(rows)).toContain(check);
  expect(row(rows, check).detail).toMatch(detail);
  expect(row(rows, check).fix).toBeTruthy();
  // Only that defect (and the local registration's missing role) fails.
  expect(failing(rows).filter((c) => c !== check && c !== 'registered version')).toEqual([]);
});
