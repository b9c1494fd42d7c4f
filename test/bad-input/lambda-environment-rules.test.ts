/**
 * A function's environment variables, as Lambda takes them (machinery/lambda-local/environment-rules.ts): the keys Lambda sets
 * itself are refused at CreateFunction and UpdateFunctionConfiguration, and so is a Variables map over 4 KB, measured
 * as AWS measures it: the map serialized as JSON (`JSON.stringify`), in UTF-8 bytes. Every refusal is AWS's 400
 * InvalidParameterValueException with its exact message, and nothing changes: no function created (no folder under
 * the state), or the configuration read back unchanged. Then what Lambda gives every environment instead: the
 * region and temporary credentials of the execution role, with a session token, which may not deploy.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { writeZip } from '../../machinery/plumbing/zip';
import { ENVIRONMENT_LIMIT_BYTES, environmentSize } from '../../machinery/lambda-local/environment-rules';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { LOCAL_LAMBDA_DEFAULTS } from '../../machinery/lambda-local/settings';
import {
  LOCAL_WAITER,
  createFunctionAndWait,
  handlerZip,
  localLambdaClient,
  testFunctionInput,
} from '../support/function-zips';
import { testEnv } from '../support/test-env';

const EXISTING = 'env-rules-fn';
const ACCOUNT = LOCAL_LAMBDA_DEFAULTS.accountId;
const REGION = LOCAL_LAMBDA_DEFAULTS.region;

const reservedMessage = (keys: string) =>
  'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
  `contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${keys}`;
const tooLargeMessage = (bytes: number) =>
  'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
  `exceeded the 4KB limit. String measured: ${bytes} bytes`;

/** `{"BIG":"xxx…"}` of exactly `bytes` bytes (`{"BIG":"` and `"}` are 10 of them). */
const ofSize = (bytes: number, char = 'x'): Record<string, string> => {
  const value = char.repeat((bytes - 10) / Buffer.byteLength(char));
  const variables = { BIG: value };
  expect(environmentSize(variables)).toBe(bytes);
  return variables;
};

let dir: string;
let stateDir: string;
let local: LocalLambda;
let lambda: LambdaClient;
let zip: Buffer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-env-'));
  stateDir = path.join(dir, 'state');
  local = await startLocalLambda({ stateDir, port: 0 });
  lambda = localLambdaClient(local.endpoint);
  zip = await handlerZip(dir, 'v1');
  await createFunctionAndWait(
    lambda,
    testFunctionInput(zip, { FunctionName: EXISTING, Environment: { Variables: { SHOPFLOW_LEDGER: 'file' } } }),
  );
}, 60_000);
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

/** [row, the Variables, the reserved keys named in the message]. */
const RESERVED_ROWS: [string, Record<string, string>, string][] = [
  ['AWS_REGION', { AWS_REGION: 'us-east-1' }, 'AWS_REGION'],
  ['AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: 'us-east-1' }, 'AWS_DEFAULT_REGION'],
  ['AWS_ACCESS_KEY_ID', { AWS_ACCESS_KEY_ID: 'shopflow-moto' }, 'AWS_ACCESS_KEY_ID'],
  ['AWS_ACCESS_KEY', { AWS_ACCESS_KEY: 'shopflow-moto' }, 'AWS_ACCESS_KEY'],
  ['AWS_SECRET_ACCESS_KEY', { AWS_SECRET_ACCESS_KEY: 'shopflow-moto' }, 'AWS_SECRET_ACCESS_KEY'],
  ['AWS_SESSION_TOKEN', { AWS_SESSION_TOKEN: 'token' }, 'AWS_SESSION_TOKEN'],
  ['_HANDLER', { _HANDLER: 'index.other' }, '_HANDLER'],
  ['_X_AMZN_TRACE_ID', { _X_AMZN_TRACE_ID: 'Root=1-0' }, '_X_AMZN_TRACE_ID'],
  ['LAMBDA_TASK_ROOT', { LAMBDA_TASK_ROOT: '/var/task' }, 'LAMBDA_TASK_ROOT'],
  ['LAMBDA_RUNTIME_DIR', { LAMBDA_RUNTIME_DIR: '/var/runtime' }, 'LAMBDA_RUNTIME_DIR'],
  ['AWS_LAMBDA_RUNTIME_API', { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' }, 'AWS_LAMBDA_RUNTIME_API'],
  ['AWS_EXECUTION_ENV', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' }, 'AWS_EXECUTION_ENV'],
  ['AWS_LAMBDA_FUNCTION_NAME', { AWS_LAMBDA_FUNCTION_NAME: 'other' }, 'AWS_LAMBDA_FUNCTION_NAME'],
  ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE', { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' }, 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],
  ['AWS_LAMBDA_FUNCTION_VERSION', { AWS_LAMBDA_FUNCTION_VERSION: '1' }, 'AWS_LAMBDA_FUNCTION_VERSION'],
  [
    'AWS_LAMBDA_INITIALIZATION_TYPE',
    { AWS_LAMBDA_INITIALIZATION_TYPE: 'snap-start' },
    'AWS_LAMBDA_INITIALIZATION_TYPE',
  ],
  ['AWS_LAMBDA_LOG_GROUP_NAME', { AWS_LAMBDA_LOG_GROUP_NAME: '/x' }, 'AWS_LAMBDA_LOG_GROUP_NAME'],
  ['AWS_LAMBDA_LOG_STREAM_NAME', { AWS_LAMBDA_LOG_STREAM_NAME: 'x' }, 'AWS_LAMBDA_LOG_STREAM_NAME'],
  [
    "the ledger's old variables (region and moto's keys), named in the request's order",
    {
      SHOPFLOW_LEDGER: 'dynamodb:shopflow-ledger',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5000',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'shopflow-moto',
      AWS_SECRET_ACCESS_KEY: 'shopflow-moto',
    },
    'AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY',
  ],
];

/** [row, the Variables, bytes measured]. */
const TOO_LARGE_ROWS: [string, () => Record<string, string>, number][] = [
  ['one byte over 4 KB', () => ofSize(ENVIRONMENT_LIMIT_BYTES + 1), 4097],
  ['4 KB in characters but over it in UTF-8 bytes', () => ofSize(4098, 'é'), 4098],
  [
    'many variables, over 4 KB in all',
    () => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`VARIABLE_${i}`, 'v'.repeat(30)])),
    // "VARIABLE_i":"v…": the key in quotes (12 or 13 bytes), a colon, the value in quotes (32): 4590 for the 100,
    // then 99 commas and 2 braces.
    4691,
  ],
];

const functionFolder = (name: string) => path.join(stateDir, 'functions', name);

async function expectRefused(send: () => Promise<unknown>, message: string): Promise<void> {
  const error = await send().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toMatchObject({
    name: 'InvalidParameterValueException',
    message,
    $metadata: { httpStatusCode: 400 },
  });
}

async function expectNotCreated(name: string): Promise<void> {
  await expect(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
    $metadata: { httpStatusCode: 404 },
  });
  expect(fs.existsSync(functionFolder(name))).toBe(false);
}

const configuration = () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: EXISTING }));
const withoutMetadata = ({ $metadata: _m, ...rest }: Awaited<ReturnType<typeof configuration>>) => rest;

describe.each(RESERVED_ROWS)('a reserved key: %s', (_row, variables, keys) => {
  test('CreateFunction is refused; no function is created', async () => {
    const name = `env-reserved-${Object.keys(variables).length}-${Object.keys(variables)[0].toLowerCase()}`;
    await expectRefused(
      () =>
        lambda.send(
          new CreateFunctionCommand(
            testFunctionInput(zip, { FunctionName: name, Environment: { Variables: variables } }),
          ),
        ),
      reservedMessage(keys),
    );
    await expectNotCreated(name);
  });

  test('UpdateFunctionConfiguration is refused; the configuration is unchanged', async () => {
    const before = withoutMetadata(await configuration());
    await expectRefused(
      () =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: EXISTING,
            Timeout: 20,
            Environment: { Variables: variables },
          }),
        ),
      reservedMessage(keys),
    );
    expect(withoutMetadata(await configuration())).toEqual(before);
  });
});

describe.each(TOO_LARGE_ROWS)('variables over the limit: %s', (_row, variables, bytes) => {
  test('CreateFunction is refused; no function is created', async () => {
    const name = `env-large-${bytes}`;
    await expectRefused(
      () =>
        lambda.send(
          new CreateFunctionCommand(
            testFunctionInput(zip, { FunctionName: name, Environment: { Variables: variables() } }),
          ),
        ),
      tooLargeMessage(bytes),
    );
    await expectNotCreated(name);
  });

  test('UpdateFunctionConfiguration is refused; the configuration is unchanged', async () => {
    const before = withoutMetadata(await configuration());
    await expectRefused(
      () =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: EXISTING, Environment: { Variables: variables() } }),
        ),
      tooLargeMessage(bytes),
    );
    expect(withoutMetadata(await configuration())).toEqual(before);
  });
});

test('exactly 4 KB (4096 bytes of JSON) is accepted, at CreateFunction and at UpdateFunctionConfiguration', async () => {
  const exactly = ofSize(ENVIRONMENT_LIMIT_BYTES);
  const created = await createFunctionAndWait(
    lambda,
    testFunctionInput(zip, { FunctionName: 'env-4kb', Environment: { Variables: exactly } }),
  );
  expect(created.Environment?.Variables).toEqual(exactly);
  const inUtf8 = ofSize(ENVIRONMENT_LIMIT_BYTES, 'é');
  const updated = await lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: 'env-4kb', Environment: { Variables: inUtf8 } }),
  );
  await waitUntilFunctionUpdatedV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: 'env-4kb' });
  expect(updated.Environment?.Variables).toEqual(inUtf8);
  // Not reserved: the endpoint a function's ledger uses, and what Lambda lets a function replace.
  const allowed = {
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5000',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
    TZ: 'Europe/Paris',
    LANG: 'en_US.UTF-8',
    NODE_OPTIONS: '--enable-source-maps',
  };
  const again = await lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: 'env-4kb', Environment: { Variables: allowed } }),
  );
  expect(again.Environment?.Variables).toEqual(allowed);
});

/** Reports which variables it has (never a secret's value), and what the local Lambda API says to its credentials. */
const PROBE_SOURCE = `
const { LambdaClient, CreateFunctionCommand } = require(${JSON.stringify(require.resolve('@aws-sdk/client-lambda'))});
exports.handler = async (event) => {
  const has = (name) => typeof process.env[name] === 'string' && process.env[name].length > 0;
  const names = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_DYNAMODB'];
  const present = Object.fromEntries(names.map((name) => [name, has(name)]));
  // The SDK's usual chain: region and credentials from the environment, as a function's AWS clients find them.
  const client = new LambdaClient({ endpoint: event.endpoint, maxAttempts: 1 });
  let deploy;
  try {
    await client.send(new CreateFunctionCommand({
      FunctionName: 'made-by-a-function', Runtime: 'nodejs22.x', Role: process.env.ROLE_FOR_PROBE, Handler: 'index.handler',
      Code: { ZipFile: Buffer.from(event.zip, 'base64') },
    }));
    deploy = { created: true };
  } catch (err) {
    deploy = { name: err.name, status: err.$metadata && err.$metadata.httpStatusCode, message: err.message };
  }
  return {
    present,
    region: process.env.AWS_REGION,
    defaultRegion: process.env.AWS_DEFAULT_REGION,
    keyPrefix: (process.env.AWS_ACCESS_KEY_ID || '').slice(0, 4),
    deploy,
  };
};`;

async function probeZip(): Promise<Buffer> {
  const folder = fs.mkdtempSync(path.join(dir, 'probe-'));
  fs.writeFileSync(path.join(folder, 'index.js'), PROBE_SOURCE);
  const zipFile = path.join(folder, 'function.zip');
  await writeZip([{ name: 'index.js', file: path.join(folder, 'index.js') }], zipFile);
  return fs.readFileSync(zipFile);
}

test.each([
  ['its template execution role', (fn: string) => `arn:aws:iam::${ACCOUNT}:role/${fn}-LambdaExecutionRole`],
  ['a role the account does not hold', () => `arn:aws:iam::${ACCOUNT}:role/shopflow-lambda`],
])(
  'a function with %s sees AWS_REGION and temporary credentials with a session token; they may not deploy',
  async (_row, roleOf) => {
    const name = `env-probe-${roleOf('x').endsWith('LambdaExecutionRole') ? 'template' : 'other'}`;
    const role = roleOf(name);
    await createFunctionAndWait(
      lambda,
      testFunctionInput(await probeZip(), {
        FunctionName: name,
        Role: role,
        Timeout: 30,
        Environment: { Variables: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5000', ROLE_FOR_PROBE: role } },
      }),
    );
    const event = { endpoint: local.endpoint, zip: zip.toString('base64') };
    const reply = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    );
    expect(reply.FunctionError).toBeUndefined();
    const result = JSON.parse(new TextDecoder().decode(reply.Payload));
    expect(result).toEqual({
      present: {
        AWS_REGION: true,
        AWS_DEFAULT_REGION: true,
        AWS_ACCESS_KEY_ID: true,
        AWS_SECRET_ACCESS_KEY: true,
        AWS_SESSION_TOKEN: true,
        AWS_ENDPOINT_URL_DYNAMODB: true,
      },
      region: REGION,
      defaultRegion: REGION,
      keyPrefix: 'ASIA',
      deploy: {
        name: 'AccessDeniedException',
        status: 403,
        message:
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/${role.split('/').pop()}/${name} is not authorized to perform: ` +
          `lambda:CreateFunction on resource: arn:aws:lambda:${REGION}:${ACCOUNT}:function:made-by-a-function ` +
          'because no identity-based policy allows the lambda:CreateFunction action',
      },
    });
    await expectNotCreated('made-by-a-function');
    // The credentials reach the process only: never the function's log.
    const log = fs.readFileSync(path.join(stateDir, 'logs', `${name}.log`), 'utf8');
    expect(log).not.toMatch(/AWS_SESSION_TOKEN|AWS_SECRET_ACCESS_KEY|ASIALOCAL/);
  },
);
