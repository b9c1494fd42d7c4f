/**
 * The ledger's bad input and faults, as a table. Configuration mistakes are ConfigErrors naming the fix. Faults of
 * the DynamoDB ledger (missing table, wrong region, wrong endpoint, access denied, throttling) are errors naming
 * the table, the region and the fix, and the call that met them recorded nothing: the table is unchanged.
 */

import { ConfigError } from '../../config/config-error';
import { loadLedgerConfig } from '../../config/ledger-config';
import { DynamoDbLedger } from '../../activities/ledger/dynamodb-ledger';
import { LedgerUnavailableError, type LedgerProblem } from '../../activities/ledger/ledger-errors';
import { MOTO_CREDENTIALS } from '../../machinery/lambda-local/local-aws-clients';
import { freePort } from '../../machinery/plumbing/ports';
import { startDynamoDbFaultProxy, type FaultProxy } from '../../machinery/devstack/dynamodb-fault-proxy';
import { startEntryPoint } from '../support/processes';
import { freshLedgerTable, ledgerServer, stopLedgerServer, type TestTable } from '../support/ledger-server';

afterAll(() => stopLedgerServer());

describe('SHOPFLOW_LEDGER and its AWS settings', () => {
  const CONFIG_ROWS: [string, NodeJS.ProcessEnv, RegExp][] = [
    [
      'an unknown kind',
      { SHOPFLOW_LEDGER: 'postgres' },
      /SHOPFLOW_LEDGER "postgres" is not a ledger: use `file` .* or `dynamodb:<table>`/,
    ],
    [
      'a table name DynamoDB refuses',
      { SHOPFLOW_LEDGER: 'dynamodb:a b', AWS_REGION: 'us-east-1' },
      /"a b", which is not a valid table name: use 3 to 255/,
    ],
    ['no table name', { SHOPFLOW_LEDGER: 'dynamodb:', AWS_REGION: 'us-east-1' }, /"", which is not a valid table name/],
    ['no region', { SHOPFLOW_LEDGER: 'dynamodb:shopflow-ledger' }, /needs the table's region: set AWS_REGION/],
    [
      'an endpoint that is not a URL',
      {
        SHOPFLOW_LEDGER: 'dynamodb:shopflow-ledger',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_DYNAMODB: 'localhost:5000',
      },
      /AWS_ENDPOINT_URL_DYNAMODB "localhost:5000" is not an http\(s\) URL: use e\.g\. http:\/\/127\.0\.0\.1:5000/,
    ],
  ];
  test.each(CONFIG_ROWS)('%s is a ConfigError naming the fix', (_problem, env, message) => {
    expect(() => loadLedgerConfig(env, '/j.jsonl')).toThrow(ConfigError);
    expect(() => loadLedgerConfig(env, '/j.jsonl')).toThrow(message);
  });

  test('file is the default, and dynamodb:<table> takes the region and the DynamoDB endpoint', () => {
    expect(loadLedgerConfig({}, '/j.jsonl')).toEqual({ kind: 'file', path: '/j.jsonl' });
    expect(
      loadLedgerConfig(
        {
          SHOPFLOW_LEDGER: 'dynamodb:t-1',
          AWS_DEFAULT_REGION: 'eu-west-1',
          AWS_ENDPOINT_URL: 'http://a:1',
          AWS_ENDPOINT_URL_DYNAMODB: 'http://b:2/',
        },
        '/j.jsonl',
      ),
    ).toEqual({ kind: 'dynamodb', tableName: 't-1', region: 'eu-west-1', endpoint: 'http://b:2' });
  });
});

test.each([
  ['file', /--ledger file would give every Lambda environment a journal of its own in \/tmp: use dynamodb:<table>/],
  ['dynamodb:x', /--ledger: SHOPFLOW_LEDGER names DynamoDB table "x", which is not a valid table name/],
])('deploy:lambda --create --ledger %s is refused before anything is sent', async (ledger, message) => {
  const args = ['--function', 'f', '--create', '--role', 'r', '--ledger', ledger];
  const deploy = startEntryPoint('scripts/deploy-lambda.ts', args, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  expect((await deploy.exited).code).not.toBe(0);
  expect(deploy.output()).toMatch(message);
  expect(deploy.output()).not.toMatch(/Creating|Deployed/);
});

test('npm run worker against Temporal Cloud with the file journal is refused before it connects, with the fix', async () => {
  const env = {
    TEMPORAL_PROFILE: '',
    TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
    TEMPORAL_NAMESPACE: 'shop.a1b2c',
    TEMPORAL_API_KEY: 'sk-not-a-real-key',
    SHOPFLOW_JOURNAL: '/tmp/shopflow-refused/journal.jsonl',
  };
  const worker = startEntryPoint('worker/main.ts', [], env);
  expect((await worker.exited).code).toBe(1);
  expect(worker.output()).toContain(
    'Worker failed: this worker connects to Temporal Cloud (us-east-1.aws.api.temporal.io:7233) but records effects ' +
      'in the file journal /tmp/shopflow-refused/journal.jsonl, which the Lambda environments cannot see: set ' +
      "SHOPFLOW_LEDGER=dynamodb:<table> and AWS_REGION (the same as the function's; docs/deploy-to-aws.md), for example in .env",
  );
  expect(worker.output()).not.toMatch(/Bundling|connecting/i);
  expect(worker.output()).not.toContain('sk-not-a-real-key');
});

describe('DynamoDB faults', () => {
  let table: TestTable;
  let proxy: FaultProxy | undefined;
  beforeEach(async () => {
    table = await freshLedgerTable('faults');
    const ledger = table.open();
    const charge = { effect: 'charge' as const, orderId: 'o1', result: 'ch-1', worker: 'w', attempt: 1 };
    await ledger.recordOnce('o1:charge', () => charge);
    await ledger.close();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  const proxied = async (errorType: string, message: string) => {
    proxy = await startDynamoDbFaultProxy({
      target: (await ledgerServer()).endpoint,
      decide: (operation) =>
        ['PutItem', 'UpdateItem'].includes(operation) ? { refuse: { errorType, message } } : 'forward',
    });
    return { ...table.config, endpoint: proxy.endpoint };
  };

  /** [fault, where the ledger points, the problem, what the message must say]. */
  type Where = () => Promise<ConstructorParameters<typeof DynamoDbLedger>[0]>;
  const ROWS: [string, Where, LedgerProblem, (t: TestTable) => RegExp][] = [
    [
      'a missing table',
      async () => ({ ...table.config, tableName: 'no-such-table' }),
      'missing-table',
      () =>
        /"no-such-table" \(region us-east-1 .*ResourceNotFoundException.*Fix: create table "no-such-table" in us-east-1/,
    ],
    [
      'the wrong region',
      async () => ({ ...table.config, region: 'eu-west-1' }),
      'missing-table',
      (t) =>
        new RegExp(
          `"${t.config.tableName}" \\(region eu-west-1 .*Fix: create table "${t.config.tableName}" in eu-west-1` +
            '.*or point SHOPFLOW_LEDGER and AWS_REGION',
        ),
    ],
    [
      'the wrong endpoint',
      async () => ({ ...table.config, endpoint: `http://127.0.0.1:${await freePort()}` }),
      'unreachable',
      () => /ECONNREFUSED.*Fix: start the DynamoDB-compatible server at http:\/\/127\.0\.0\.1:\d+, or fix AWS_ENDPOINT/,
    ],
    [
      'access denied',
      () =>
        proxied(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:user/laptop is not authorized to perform: dynamodb:PutItem',
        ),
      'access-denied',
      (t) =>
        new RegExp(
          "AccessDeniedException.*Fix: give the worker's role dynamodb:GetItem, dynamodb:PutItem, " +
            'dynamodb:UpdateItem ' +
            `on table "${t.config.tableName}"`,
        ),
    ],
    [
      'throttling',
      () =>
        proxied(
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded.',
        ),
      'throttled',
      (t) =>
        new RegExp(`table "${t.config.tableName}" refused requests after the SDK's retries: use on-demand capacity`),
    ],
  ];

  const TITLE = '%s: a clear error naming the table and the fix, and the ledger unchanged';
  test.each(ROWS)(TITLE, async (_fault, where, problem, message) => {
    const faulty = new DynamoDbLedger({ ...(await where()), credentials: MOTO_CREDENTIALS });
    const body = { effect: 'refund' as const, orderId: 'o1', result: 'r', worker: 'w', attempt: 1 };
    try {
      for (const call of [
        () => faulty.recordOnce('o1:notify', () => ({ ...body, effect: 'notify' as const })),
        () => faulty.recordUndo('o1:refund', 'o1:charge', () => body),
      ]) {
        const err = (await call().then(
          () => undefined,
          (e: unknown) => e,
        )) as LedgerUnavailableError;
        expect(err).toBeInstanceOf(LedgerUnavailableError);
        expect([err.problem, err.message]).toEqual([problem, expect.stringMatching(message(table))]);
      }
    } finally {
      await faulty.close();
    }
    if (problem === 'throttled') expect(proxy!.disturbed.length).toBeGreaterThan(2); // the SDK retried before giving up
    const ledger = table.open();
    try {
      const entries = await ledger.entries();
      expect(entries.map((e) => [e.key, e.result])).toEqual([['o1:charge', 'ch-1']]);
      // Not even the undo's mark reached the forward item.
      const notify = await ledger.recordOnce('o1:notify', () => ({ ...body, effect: 'notify' as const }));
      expect(notify).toMatchObject({ deduplicated: false });
    } finally {
      await ledger.close();
    }
  });
});
