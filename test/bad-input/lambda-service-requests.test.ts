/**
 * Bad requests to the local Lambda service, sent with the AWS SDK v3 client as the deploy script and Temporal's
 * worker controller send them. Every row: AWS's error name, HTTP status and exact message, and proof that nothing
 * happened: no function created or changed, no invocation counted, no execution environment started, no file written
 * under the service's state folder. Then the same for CloudWatch GetMetricData, and for raw HTTP requests no SDK
 * would send: a foreign Host (DNS rebinding), an Origin header (a web page), a bare "%", a null body, an unknown API
 * version, a body over the limit. What works is in test/lambda-local/lambda-api.test.ts; a real browser page trying
 * it is test/bad-input/lambda-from-web-page.test.ts.
 */

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { LOCAL_USERS, localAwsClient, localDeveloperCredentials } from '../../machinery/lambda-local/local-aws-clients';
import { localAccountKeys } from '../../machinery/lambda-local/local-account';
import { MAX_REQUEST_BYTES } from '../../machinery/lambda-local/http-api';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { LOCAL_LAMBDA_DEFAULTS } from '../../machinery/lambda-local/settings';
import { createFunctionAndWait, handlerZip, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { lyingZipBomb, zipBomb, zipOfManyEntries, zipWithEntryNamed, zipWithSymlink } from '../support/hostile-zips';
import { signedHeaders } from '../support/signed-request';
import { testEnv } from '../support/test-env';

const MISSING = 'no-such-function';
const MISSING_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${MISSING}`;
const SYNC_LIMIT = LOCAL_LAMBDA_DEFAULTS.maxSyncPayloadBytes;
const ASYNC_LIMIT = LOCAL_LAMBDA_DEFAULTS.maxAsyncPayloadBytes;
const EXISTING = 'bad-input-fn';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;
let cloudwatch: CloudWatchClient;
let zip: Buffer;
const hostile: Record<'dotDot' | 'absolute' | 'symlink' | 'bomb' | 'lyingBomb' | 'manyEntries', Buffer> = {} as never;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-bad-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
  cloudwatch = localAwsClient(CloudWatchClient, local.endpoint, { maxAttempts: 1 });
  zip = await handlerZip(dir, 'v1');
  await createFunctionAndWait(lambda, createInput({}));
  hostile.dotDot = await zipWithEntryNamed('../../evil.js');
  hostile.absolute = await zipWithEntryNamed('/tmp/evil.js');
  hostile.symlink = await zipWithSymlink('passwd', '/etc/passwd');
  // Just over Lambda's quota unpacked, in a zip of a few hundred KB.
  hostile.bomb = await zipBomb(2, UNZIPPED_LIMIT / 2);
  hostile.lyingBomb = await lyingZipBomb(8 * 1024 * 1024, 1000);
  hostile.manyEntries = await zipOfManyEntries(100_000);
}, 120_000);
afterAll(async () => {
  lambda?.destroy();
  cloudwatch?.destroy();
  await local?.close();
});

const UNZIPPED_LIMIT = LOCAL_LAMBDA_DEFAULTS.maxUnzippedBytes;

const createInput = (overrides: Partial<CreateFunctionCommandInput>) =>
  testFunctionInput(zip, { FunctionName: EXISTING, ...overrides });

const text = (s: string) => new TextEncoder().encode(s);
/** A valid JSON document of exactly `bytes` bytes. */
const jsonOfSize = (bytes: number) => text(JSON.stringify('x'.repeat(bytes - 2)));
const notAZip = () => text('PK\u0003\u0004 this is not really a zip');

/** [the request, the call, the AWS error name, HTTP status, the exact message]. */
const ROWS: [string, () => object, string, number, string][] = [
  [
    'GetFunction of an unknown function',
    () => new GetFunctionCommand({ FunctionName: MISSING }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'Invoke of an unknown function',
    () => new InvokeCommand({ FunctionName: MISSING }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'an Event invoke of an unknown ARN',
    () => new InvokeCommand({ FunctionName: MISSING_ARN, InvocationType: 'Event' }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'UpdateFunctionCode of an unknown function',
    () => new UpdateFunctionCodeCommand({ FunctionName: MISSING, ZipFile: zip }),
    'ResourceNotFoundException',
    404,
    `Function not found: ${MISSING_ARN}`,
  ],
  [
    'Invoke with a malformed JSON payload',
    () => new InvokeCommand({ FunctionName: EXISTING, Payload: text('{not json') }),
    'InvalidRequestContentException',
    400,
    'Could not parse request payload into json: the body is not valid JSON',
  ],
  [
    'an Event invoke with a malformed JSON payload',
    () => new InvokeCommand({ FunctionName: EXISTING, InvocationType: 'Event', Payload: text('[1,') }),
    'InvalidRequestContentException',
    400,
    'Could not parse request payload into json: the body is not valid JSON',
  ],
  [
    'a synchronous payload one byte over 6 MB',
    () => new InvokeCommand({ FunctionName: EXISTING, Payload: jsonOfSize(SYNC_LIMIT + 1) }),
    'RequestTooLargeException',
    413,
    `Request payload size (${SYNC_LIMIT + 1} bytes) exceeded the ${SYNC_LIMIT}-byte limit for synchronous invocation`,
  ],
  [
    'an Event payload one byte over 256 KB',
    () => new InvokeCommand({ FunctionName: EXISTING, InvocationType: 'Event', Payload: jsonOfSize(ASYNC_LIMIT + 1) }),
    'RequestTooLargeException',
    413,
    `Request payload size (${ASYNC_LIMIT + 1} bytes) exceeded the ${ASYNC_LIMIT}-byte limit for asynchronous invocation`,
  ],
  [
    'an unknown invocation type',
    () => new InvokeCommand({ FunctionName: EXISTING, InvocationType: 'Later' as 'Event' }),
    'InvalidParameterValueException',
    400,
    'InvocationType must be RequestResponse, Event or DryRun (got Later)',
  ],
  [
    'CreateFunction of a name that exists',
    () => new CreateFunctionCommand(createInput({})),
    'ResourceConflictException',
    409,
    `Function already exist: ${EXISTING}`,
  ],
  [
    'CreateFunction with a timeout of 0',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-timeout', Timeout: 0 })),
    'InvalidParameterValueException',
    400,
    'Timeout 0 must be between 1 and 900 seconds',
  ],
  [
    'CreateFunction with a /tmp of 100 MB (EphemeralStorage below 512)',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-tmp', EphemeralStorage: { Size: 100 } })),
    'ValidationException',
    400,
    "1 validation error detected: Value '100' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512",
  ],
  [
    'UpdateFunctionConfiguration with a /tmp of 10241 MB (EphemeralStorage above 10240)',
    () => new UpdateFunctionConfigurationCommand({ FunctionName: EXISTING, EphemeralStorage: { Size: 10_241 } }),
    'ValidationException',
    400,
    "1 validation error detected: Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240",
  ],
  [
    'CreateFunction with a handler that names no export',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-handler', Handler: 'index' })),
    'InvalidParameterValueException',
    400,
    'Handler "index" must look like file.export, for example index.handler',
  ],
  [
    'CreateFunction with a zip that is not one',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-zip', Code: { ZipFile: notAZip() } })),
    'InvalidParameterValueException',
    400,
    'Could not unzip the uploaded file: End of central directory record signature not found. Either not a zip file, or file is truncated.',
  ],
  [
    'UpdateFunctionCode with a zip that is not one',
    () => new UpdateFunctionCodeCommand({ FunctionName: EXISTING, ZipFile: notAZip() }),
    'InvalidParameterValueException',
    400,
    'Could not unzip the uploaded file: End of central directory record signature not found. Either not a zip file, or file is truncated.',
  ],
  [
    'a negative reserved concurrency',
    () => new PutFunctionConcurrencyCommand({ FunctionName: EXISTING, ReservedConcurrentExecutions: -1 }),
    'InvalidParameterValueException',
    400,
    'ReservedConcurrentExecutions must be a whole number, 0 or more',
  ],
  [
    'CreateFunction with a zip entry "../../evil.js"',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-dotdot', Code: { ZipFile: hostile.dotDot } })),
    'InvalidParameterValueException',
    400,
    `Zip entry "../../evil.js" would unpack outside the function's folder (invalid relative path: ../../evil.js): rebuild the zip with paths relative to its root`,
  ],
  [
    'UpdateFunctionCode with a zip entry at an absolute path',
    () => new UpdateFunctionCodeCommand({ FunctionName: EXISTING, ZipFile: hostile.absolute }),
    'InvalidParameterValueException',
    400,
    `Zip entry "/tmp/evil.js" would unpack outside the function's folder (absolute path: /tmp/evil.js): rebuild the zip with paths relative to its root`,
  ],
  [
    'CreateFunction with a zip holding a symbolic link to /etc/passwd',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-symlink', Code: { ZipFile: hostile.symlink } })),
    'InvalidParameterValueException',
    400,
    'Zip entry "passwd" is a symbolic link; the local Lambda service does not unpack links: put the file itself in the zip',
  ],
  [
    'CreateFunction with a zip bomb of just over 250 MB unzipped',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-bomb', Code: { ZipFile: hostile.bomb } })),
    'InvalidParameterValueException',
    400,
    `Unzipped size must be smaller than ${UNZIPPED_LIMIT} bytes`,
  ],
  [
    'UpdateFunctionCode with a zip bomb',
    () => new UpdateFunctionCodeCommand({ FunctionName: EXISTING, ZipFile: hostile.bomb }),
    'InvalidParameterValueException',
    400,
    `Unzipped size must be smaller than ${UNZIPPED_LIMIT} bytes`,
  ],
  [
    'CreateFunction with a zip bomb whose header understates its size',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-lying', Code: { ZipFile: hostile.lyingBomb } })),
    'InvalidParameterValueException',
    400,
    'Could not unzip the uploaded file: entry zeros-0.bin unpacks to more than the 1000 bytes the zip declares (a corrupt zip, or a zip bomb)',
  ],
  [
    'CreateFunction with a zip of 100,000 entries',
    () => new CreateFunctionCommand(createInput({ FunctionName: 'fn-many', Code: { ZipFile: hostile.manyEntries } })),
    'InvalidParameterValueException',
    400,
    `The zip has 100000 entries; the local Lambda service unpacks at most ${LOCAL_LAMBDA_DEFAULTS.maxZipEntries}: bundle the code (npm run build:lambda does) instead of shipping loose files`,
  ],
];

/** Everything a request could have changed: the functions, their code and settings, invocations, environments. */
function serviceState() {
  return {
    disk: filesUnder(path.join(dir, 'state')),
    functions: local.registry.list().map((f) => ({ ...f })),
    invocations: local.registry.list().map((f) => local.metrics.invocationsOf(f.FunctionName).length),
    concurrency: local.registry.list().map((f) => local.metrics.concurrency(f.FunctionName)),
  };
}

/** Every file and folder under `root` with its size: what a refused upload must not have added to. */
function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .map((e) => path.join(e.parentPath, e.name))
    .map((f) => `${path.relative(root, f)} ${fs.lstatSync(f).size}`)
    .sort();
}

async function environments(): Promise<unknown> {
  return (await fetch(`${local.endpoint}/local/environments`)).json();
}

test.each(ROWS)('%s is refused; nothing changes', async (_name, command, errorName, status, message) => {
  const before = serviceState();
  const environmentsBefore = await environments();

  const error = await lambda.send(command() as never).then(
    () => new Error('the request succeeded'),
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: errorName, message, $metadata: { httpStatusCode: status } });

  expect(serviceState()).toEqual(before);
  expect(await environments()).toEqual(environmentsBefore);
});

const DAY_S = 24 * 60 * 60;
/** A GetMetricData of Invocations of the existing function, one query with this Period, over `seconds`. */
const metricData = (period: number, seconds = 300) => {
  const end = new Date();
  return new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - seconds * 1000),
    EndTime: end,
    MetricDataQueries: [
      {
        Id: 'inv',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Invocations',
            Dimensions: [{ Name: 'FunctionName', Value: EXISTING }],
          },
          Period: period,
          Stat: 'Sum',
        },
      },
    ],
  });
};
const PERIOD = 'The parameter MetricDataQueries.member.1.MetricStat.Period';

/** [the request, the GetMetricData call, CloudWatch's error name, HTTP status, the exact message]. */
const METRIC_ROWS: [string, () => object, string, number, string][] = [
  [
    'a negative Period',
    () => metricData(-60),
    'InvalidParameterValueException',
    400,
    `${PERIOD} must be a whole number of seconds from 1 to 2147483647 (got -60)`,
  ],
  [
    'a Period of 0',
    () => metricData(0),
    'InvalidParameterValueException',
    400,
    `${PERIOD} must be a whole number of seconds from 1 to 2147483647 (got 0)`,
  ],
  [
    'a Period below a second',
    () => metricData(0.001),
    'InvalidParameterValueException',
    400,
    `${PERIOD} must be a whole number of seconds from 1 to 2147483647 (got 0.001)`,
  ],
  [
    'a Period that is not a multiple of 60',
    () => metricData(7),
    'InvalidParameterValueException',
    400,
    `${PERIOD} must be 1, 5, 10, 30 or a multiple of 60 (got 7)`,
  ],
  [
    'a huge Period (over an Integer)',
    () => metricData(60 * 1e12),
    'InvalidParameterValueException',
    400,
    `${PERIOD} must be a whole number of seconds from 1 to 2147483647 (got 60000000000000)`,
  ],
  [
    'a 1-second Period over a week (604,800 data points)',
    () => metricData(1, 7 * DAY_S),
    'InvalidParameterCombinationException',
    400,
    'You have requested up to 604800 datapoints, which exceeds the limit of 100800: use a longer Period or a shorter time range',
  ],
];

test.each(METRIC_ROWS)(
  'GetMetricData with %s is refused at once',
  async (_name, command, errorName, status, message) => {
    const before = serviceState();
    const started = Date.now();
    const error = await cloudwatch.send(command() as never).then(
      () => new Error('the request succeeded'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: errorName, message, $metadata: { httpStatusCode: status } });
    // Refused before any work: the service answers at once, and still answers.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await fetch(`${local.endpoint}/local/health`)).status).toBe(200);
    expect(serviceState()).toEqual(before);
  },
);

interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body without a Content-Length (chunked), so only counting its bytes can stop it. */
  chunked?: boolean;
  /** How it is signed: by default with the developer's keys, as the AWS SDKs sign; `false`: not at all. */
  signing?: false | Parameters<typeof signedHeaders>[1];
  /** Changes the request after it was signed (a body swapped on the way). */
  tamper?: (request: { headers: Record<string, string>; body?: Buffer }) => void;
}

/** A request as no AWS SDK would send it; resolves with the status and the AWS error the service answered. */
async function rawRequest(request: RawRequest): Promise<{ status: number; code: string; message: string }> {
  const port = local.port;
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const plain: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    'content-type': 'application/json',
    ...(body && !request.chunked && { 'content-length': String(body.length) }),
    ...request.headers,
  };
  const sent = {
    headers:
      request.signing === false
        ? plain
        : await signedHeaders({ method: request.method, path: request.path, headers: plain, body }, request.signing),
    body,
  };
  request.tamper?.(sent);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: sent.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const reply = (text.startsWith('<') ? xmlError(text) : JSON.parse(text || '{}')) as {
            message?: string;
            code?: string;
          };
          resolve({
            status: res.statusCode!,
            code: String(res.headers['x-amzn-errortype'] ?? reply.code),
            message: reply.message ?? '',
          });
        });
      },
    );
    req.on('error', reject);
    req.end(sent.body);
  });
}

/** STS's XML error: its Code and Message. */
function xmlError(xml: string): { code?: string; message?: string } {
  const unescape = (t?: string) =>
    t
      ?.replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return { code: /<Code>(.*?)<\/Code>/.exec(xml)?.[1], message: unescape(/<Message>(.*?)<\/Message>/s.exec(xml)?.[1]) };
}

const FN_PATH = `/2015-03-31/functions/${EXISTING}`;
const createBody = () =>
  JSON.stringify({ ...createInput({ FunctionName: 'fn-raw' }), Code: { ZipFile: zip.toString('base64') } });
const FROM_PAGE = { origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' };
const own = () => `127.0.0.1:${local.port}`;
const foreignHost = (host: string) => () =>
  `Host "${host}" is not the local Lambda service: send requests to http://${own()} (requests naming another host, as a DNS-rebinding web page does, are refused)`;
const fromWebPage =
  'the local Lambda service takes no requests from web pages (Origin "http://evil.example"): use an AWS SDK or the AWS CLI, which send no Origin header';

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const withKeysHint = (message: string) =>
  `${message} (the local services take only the local account's keys: sign with an AWS SDK client from ` +
  'machinery/lambda-local/local-aws-clients.ts, which reads them from data/local-aws/keys.json)';
const STALE = new Date(Date.now() - 10 * 60_000);
const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const controllerKey = () => localAccountKeys().workerController;

/** [the request, what is sent, the AWS error name, HTTP status, the exact message (or how to make it)]. */
const RAW_ROWS: [string, () => RawRequest, string, number, string | (() => string)][] = [
  [
    'CreateFunction naming another Host (DNS rebinding)',
    () => ({
      method: 'POST',
      path: '/2015-03-31/functions',
      headers: { host: 'evil.example:9001' },
      body: createBody(),
    }),
    'AccessDeniedException',
    403,
    foreignHost('evil.example:9001'),
  ],
  [
    'ListFunctions naming another Host (a rebound page reading replies)',
    () => ({ method: 'GET', path: '/2015-03-31/functions', headers: { host: 'evil.example' } }),
    'AccessDeniedException',
    403,
    foreignHost('evil.example'),
  ],
  [
    '/local/environments naming another Host',
    () => ({ method: 'GET', path: '/local/environments', headers: { host: `127.0.0.2:9001` } }),
    'AccessDeniedException',
    403,
    foreignHost('127.0.0.2:9001'),
  ],
  [
    "a web page's no-cors text/plain CreateFunction (Origin header)",
    () => ({ method: 'POST', path: '/2015-03-31/functions', headers: FROM_PAGE, body: createBody() }),
    'AccessDeniedException',
    403,
    fromWebPage,
  ],
  [
    "a web page's no-cors Invoke (Origin header)",
    () => ({ method: 'POST', path: `${FN_PATH}/invocations`, headers: FROM_PAGE, body: '{}' }),
    'AccessDeniedException',
    403,
    fromWebPage,
  ],
  [
    "a web page's GetMetricData (Origin header)",
    () => ({
      method: 'POST',
      path: '/',
      headers: { ...FROM_PAGE, 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
      body: '{}',
    }),
    'AccessDeniedException',
    403,
    fromWebPage,
  ],
  [
    'a text/plain CreateFunction without an Origin',
    () => ({
      method: 'POST',
      path: '/2015-03-31/functions',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: createBody(),
    }),
    'UnsupportedMediaTypeException',
    415,
    'The CreateFunction request body must be sent as application/json (got Content-Type "text/plain;charset=UTF-8"): use an AWS SDK or the AWS CLI',
  ],
  [
    'an unsigned CreateFunction (no Authorization header)',
    () => ({ method: 'POST', path: '/2015-03-31/functions', body: createBody(), signing: false }),
    'MissingAuthenticationTokenException',
    403,
    withKeysHint('Missing Authentication Token'),
  ],
  [
    'a CreateFunction signed with the wrong secret',
    () => ({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: createBody(),
      signing: { key: { ...localDeveloperCredentials(), secretAccessKey: 'not-the-secret' } },
    }),
    'InvalidSignatureException',
    403,
    withKeysHint(SIGNATURE_MISMATCH),
  ],
  [
    'an Invoke signed with a key the account does not have',
    () => ({
      method: 'POST',
      path: `${FN_PATH}/invocations`,
      body: '{}',
      signing: { key: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' } },
    }),
    'UnrecognizedClientException',
    403,
    withKeysHint('The security token included in the request is invalid.'),
  ],
  [
    'an Invoke signed ten minutes ago (a replayed request)',
    () => ({ method: 'POST', path: `${FN_PATH}/invocations`, body: '{}', signing: { date: STALE } }),
    'InvalidSignatureException',
    403,
    () => withKeysHint(`Signature expired: ${amzDate(STALE)} is more than 5 min from the server's time`),
  ],
  [
    'an Invoke whose payload was swapped after signing',
    () => ({
      method: 'POST',
      path: `${FN_PATH}/invocations`,
      body: '{"action":"echo"}',
      tamper: (sent) => void (sent.body = Buffer.from('{"action":"fail"}')),
    }),
    'InvalidSignatureException',
    403,
    withKeysHint(SIGNATURE_MISMATCH),
  ],
  [
    'an Invoke signed for another service (STS)',
    () => ({ method: 'POST', path: `${FN_PATH}/invocations`, body: '{}', signing: { service: 'sts' } }),
    'InvalidSignatureException',
    403,
    withKeysHint("Credential should be scoped to correct service: 'lambda'."),
  ],
  [
    "a CreateFunction with the worker controller's keys (it may only assume the invocation role)",
    () => ({ method: 'POST', path: '/2015-03-31/functions', body: createBody(), signing: { key: controllerKey() } }),
    'AccessDeniedException',
    403,
    `User: ${LOCAL_USERS.workerController} is not authorized to perform: lambda:CreateFunction on resource: ` +
      'arn:aws:lambda:us-east-1:000000000000:function:fn-raw because no identity-based policy allows the lambda:CreateFunction action',
  ],
  [
    "an Invoke with the worker controller's own keys, not the role's",
    () => ({ method: 'POST', path: `${FN_PATH}/invocations`, body: '{}', signing: { key: controllerKey() } }),
    'AccessDeniedException',
    403,
    `User: ${LOCAL_USERS.workerController} is not authorized to perform: lambda:InvokeFunction on resource: ` +
      `arn:aws:lambda:us-east-1:000000000000:function:${EXISTING} because no identity-based policy allows the lambda:InvokeFunction action`,
  ],
  [
    'a bare "%" in the path',
    () => ({ method: 'POST', path: '/2015-03-31/functions/%/invocations', body: '{}' }),
    'InvalidRequestContentException',
    400,
    'The path /2015-03-31/functions/%/invocations is not valid percent-encoding: write "%" as "%25" (the AWS SDKs encode paths this way)',
  ],
  [
    'a CreateFunction body of null',
    () => ({ method: 'POST', path: '/2015-03-31/functions', body: 'null' }),
    'InvalidRequestContentException',
    400,
    'Could not parse request body into json: it must be a JSON object, not null',
  ],
  [
    'an UpdateFunctionCode body of null',
    () => ({ method: 'PUT', path: `${FN_PATH}/code`, body: 'null' }),
    'InvalidRequestContentException',
    400,
    'Could not parse request body into json: it must be a JSON object, not null',
  ],
  [
    'a PutFunctionConcurrency body that is an array',
    () => ({ method: 'PUT', path: `/2017-10-31/functions/${EXISTING}/concurrency`, body: '[5]' }),
    'InvalidRequestContentException',
    400,
    'Could not parse request body into json: it must be a JSON object, not an array',
  ],
  [
    'an unknown API version in the path',
    () => ({ method: 'GET', path: '/2099-01-01/functions' }),
    'UnknownOperationException',
    404,
    'The local Lambda service does not implement GET /2099-01-01/functions',
  ],
  [
    'a body of the request limit, with its Content-Length',
    () => ({ method: 'PUT', path: `${FN_PATH}/code`, body: Buffer.alloc(MAX_REQUEST_BYTES, 0x61) }),
    'RequestEntityTooLargeException',
    413,
    `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the UpdateFunctionCode operation`,
  ],
  [
    'a body over the request limit, chunked (no Content-Length)',
    () => ({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x61),
      chunked: true,
    }),
    'RequestEntityTooLargeException',
    413,
    `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the CreateFunction operation`,
  ],
];

test.each(RAW_ROWS)('%s is refused; nothing changes', async (_name, request, code, status, message) => {
  const before = serviceState();
  const environmentsBefore = await environments();

  const reply = await rawRequest(request());
  expect(reply).toEqual({ status, code, message: typeof message === 'string' ? message : message() });

  expect(serviceState()).toEqual(before);
  expect(await environments()).toEqual(environmentsBefore);
});
