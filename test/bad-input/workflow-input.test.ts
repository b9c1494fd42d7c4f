/**
 * Bad orders, through both ways people start one: the TypeScript client and the real Temporal CLI
 * (`temporal workflow start --input-file`, read back with `temporal workflow result`). Every row states the exact
 * message the user reads, and proves that nothing happened: a non-retryable InvalidOrder, no activity scheduled,
 * no new line in the worker's effect journal. Field-level rules are unit-tested in test/unit/validate-order.test.ts;
 * this table is what reaches a person through the real server.
 */

import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { ORDER_WORKFLOW_TYPE } from '../../config/settings';
import type { Order } from '../../domain/order';
import { describeProblems } from '../../domain/validate-order';
import { getStatusQuery } from '../../workflows/definitions';
import { failureOf, historyEventTypes } from '../support/assertions';
import { journalLines } from '../support/journal-lines';
import { testOrder } from '../support/orders';
import { temporalCli } from '../support/temporal-cli-run';
import { testEnv } from '../support/test-env';
import { startTestWorker, uniqueName, type TestWorker } from '../support/test-worker';
import { readJournalLines } from '../../machinery/devstack/run-ledger';

const ACTIVITY_SCHEDULED = String(temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
const ORDER_FIELDS = 'orderId, customer, items, shippingAddress, paymentToken, scenario, longHaulMs, faults';
const SCENARIO_LIST = 'happy, decline, out-of-stock, bad-address, shipping-outage, notify-outage, slow, long-haul';
/** 1.9 MB: under the server's 2 MB payload limit, so the order starts and the workflow itself must refuse it. */
const NEAR_LIMIT = 1_900_000;

let worker: TestWorker;
let dir: string;
beforeAll(async () => {
  worker = await startTestWorker();
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'bad-input-'));
});
afterAll(async () => {
  await worker?.stop();
});

const line = (sku: string, quantity: unknown, unitPriceCents: unknown) => ({ sku, quantity, unitPriceCents });

/** [what is wrong, the order as sent, the problems the user is told, in order]. */
const ROWS: [string, (o: Order) => unknown, string[]][] = [
  [
    'wrong types',
    (o) => ({ ...o, orderId: 42, customer: 'Ada', items: 'two mugs' }),
    [
      `orderId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (got number 42)`,
      'customer must be an object (got "Ada")',
      'items must be a non-empty array (got "two mugs")',
    ],
  ],
  [
    'missing fields',
    (o) => ({ orderId: o.orderId }),
    [
      'customer must be an object (got nothing)',
      'items must be a non-empty array (got nothing)',
      'shippingAddress must be an object (got nothing)',
      'paymentToken must be a non-empty string (got nothing)',
    ],
  ],
  [
    'negative and zero quantities',
    (o) => ({ ...o, items: [line('A', -1, 100), line('B', 0, 100)] }),
    ['items[0].quantity must be between 1 and 1000 (got -1)', 'items[1].quantity must be between 1 and 1000 (got 0)'],
  ],
  [
    'non-integer amounts',
    (o) => ({ ...o, items: [line('A', 1.5, 999), line('B', 1, 9.99), line('C', '2', 100)] }),
    [
      'items[0].quantity must be an integer (got number 1.5)',
      'items[1].unitPriceCents must be an integer (got number 9.99)',
      'items[2].quantity must be an integer (got "2")',
    ],
  ],
  [
    'an unknown scenario',
    (o) => ({ ...o, scenario: 'meteor' }),
    [`scenario must be one of ${SCENARIO_LIST} (got "meteor")`],
  ],
  [
    'a long haul of minus a minute',
    (o) => ({ ...o, scenario: 'long-haul', longHaulMs: -60_000 }),
    ['longHaulMs must be between 1 and 7200000 (2 hours; got -60000); a longer haul needs continue-as-new'],
  ],
  [
    'a long haul on an order that is not one',
    (o) => ({ ...o, longHaulMs: 60_000 }),
    [
      'longHaulMs applies only to the long-haul scenario (got scenario "happy"); set scenario to "long-haul" or remove longHaulMs',
    ],
  ],
  [
    'a misspelled field',
    (o) => ({ ...o, senario: 'decline' }),
    [`senario is not a field of an order (fields: ${ORDER_FIELDS}); remove it or fix its spelling`],
  ],
  [
    'duplicate SKUs',
    (o) => ({ ...o, items: [line('MUG', 1, 100), line('MUG', 2, 100)] }),
    ['items[1].sku "MUG" appears twice; merge the lines'],
  ],
  [
    'too many items',
    (o) => ({ ...o, items: Array.from({ length: 5_000 }, (_, i) => line(`SKU-${i}`, 1, 100)) }),
    ['items must hold at most 100 lines (got 5000); split the order'],
  ],
  [
    'an absurd quantity and price',
    (o) => ({ ...o, items: [line('A', 1e9, 1e12)] }),
    [
      'items[0].quantity must be between 1 and 1000 (got 1000000000)',
      'items[0].unitPriceCents must be between 0 and 10000000 (got 1000000000000)',
    ],
  ],
  [
    'control characters in a name and an address',
    (o) => ({
      ...o,
      customer: { ...o.customer, name: 'Ada\u0000' },
      shippingAddress: { ...o.shippingAddress, line1: '1 Main\nSt' },
    }),
    [
      'customer.name must not contain control or invisible characters (found U+0000 at position 3); remove it',
      'shippingAddress.line1 must not contain control or invisible characters (found U+000A at position 6); remove it',
    ],
  ],
  [
    `${NEAR_LIMIT / 1e6} MB of junk in a name`,
    (o) => ({ ...o, customer: { ...o.customer, name: 'x'.repeat(NEAR_LIMIT) } }),
    [`customer.name must be at most 200 characters (got ${NEAR_LIMIT})`],
  ],
  [
    `${NEAR_LIMIT / 1e6} MB of junk in an extra field`,
    (o) => ({ ...o, notes: 'x'.repeat(NEAR_LIMIT) }),
    [`notes is not a field of an order (fields: ${ORDER_FIELDS}); remove it or fix its spelling`],
  ],
];

type Via = 'client' | 'cli';
const CASES = ROWS.flatMap(([name, build, problems]) =>
  (['client', 'cli'] as Via[]).map((via) => ({ name, via, build, problems })),
);

/** Starts the order the way `via` says and returns the workflow id. */
async function startOrder(via: Via, input: unknown): Promise<string> {
  const workflowId = uniqueName(`bad-${via}`);
  if (via === 'client') {
    await worker.start(input, workflowId);
    return workflowId;
  }
  const started = await startFromFile(workflowId, JSON.stringify(input));
  expect(started).toMatchObject({ code: 0, stderr: '' });
  return workflowId;
}

test.each(CASES)(
  '$name via the $via: InvalidOrder names every bad field; nothing runs',
  async ({ via, build, problems }) => {
    const journalBefore = journalLines(worker.journal.filePath);
    const workflowId = await startOrder(via, build(testOrder()));
    const handle = worker.client.workflow.getHandle(workflowId);

    const failure = await failureOf(handle);
    const message = describeProblems(problems);
    expect(failure.message).toBe(message);
    expect(failure.type).toBe('InvalidOrder');
    expect(failure.nonRetryable).toBe(true);
    if (via === 'cli') {
      const result = await temporalCli('workflow', 'result', '--workflow-id', workflowId);
      expect(result.code).toBe(1);
      expect(`${result.stdout}${result.stderr}`).toContain(message);
    }

    expect(await historyEventTypes(handle)).not.toContain(ACTIVITY_SCHEDULED);
    expect(journalLines(worker.journal.filePath)).toEqual(journalBefore);
  },
);

test('an invalid order id is never echoed: getStatus reports the workflow id instead', async () => {
  const workflowId = await startOrder('client', { ...testOrder(), orderId: '\u001b[2J\u001b[31mgotcha' });
  const handle = worker.client.workflow.getHandle(workflowId);
  expect((await failureOf(handle)).type).toBe('InvalidOrder');
  const status = await handle.query(getStatusQuery);
  expect(status).toMatchObject({ orderId: workflowId, state: 'FAILED', failure: { type: 'InvalidOrder' } });
  // The problem names the bad id escaped and quoted; no raw control character reaches whoever prints the status.
  expect(status.failure!.message).toContain('(got "\\u001b[2J\\u001b[31mgotcha")');
  const strings = (value: unknown): string[] =>
    typeof value === 'string'
      ? [value]
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(strings)
        : [];
  expect(strings(status).filter((text) => text.includes('\u001b'))).toEqual([]);
});

/**
 * Refused before anything starts: by the CLI (not JSON) or by the server (over its payload limits). The TypeScript
 * client retries RESOURCE_EXHAUSTED with backoff (about 30 s) before it reports it: slow, but it does not hang.
 */
const REFUSED: { name: string; via: Via; input: () => unknown; error: string | RegExp }[] = [
  { name: 'malformed JSON', via: 'cli', input: () => '{"orderId": oops', error: 'Error: input #1 is not valid JSON' },
  {
    name: 'an order over the 2 MB payload limit',
    via: 'cli',
    input: () => bigOrder(2_500_000),
    error: 'Error: failed starting workflow: Blob data size exceeds limit.',
  },
  {
    name: 'an order over the 2 MB payload limit',
    via: 'client',
    input: () => bigOrder(2_500_000),
    error: 'Failed to start Workflow: 3 INVALID_ARGUMENT: Blob data size exceeds limit.',
  },
  {
    name: 'an order over the 4 MB gRPC message limit',
    via: 'cli',
    input: () => bigOrder(5_000_000),
    error:
      'Error: failed starting workflow: rpc error: code = ResourceExhausted desc = grpc: received message after decompression larger than max 4194304',
  },
  {
    name: 'an order over the 4 MB gRPC message limit',
    via: 'client',
    input: () => bigOrder(5_000_000),
    error:
      /^Failed to start Workflow: 8 RESOURCE_EXHAUSTED: grpc: received message larger than max \(5\d{6} vs\. 4194304\)$/,
  },
];

function bigOrder(junkBytes: number): unknown {
  return { ...testOrder(), notes: 'x'.repeat(junkBytes) };
}

async function refusal(via: Via, input: unknown, workflowId: string): Promise<string> {
  if (via === 'client') {
    const err = (await worker.start(input, workflowId).then(
      () => new Error('the order was started'),
      (e: unknown) => e,
    )) as Error & { cause?: Error };
    return `${err.message}: ${err.cause?.message}`;
  }
  const run = await startFromFile(workflowId, typeof input === 'string' ? input : JSON.stringify(input));
  expect(run.code).toBe(1);
  return run.stderr.trim();
}

test.each(REFUSED)('$name via the $via is refused before it starts', async ({ via, input, error }) => {
  const journalBefore = journalLines(worker.journal.filePath);
  const workflowId = uniqueName(`refused-${via}`);
  const seen = await refusal(via, input(), workflowId);
  if (typeof error === 'string') expect(seen).toBe(error);
  else expect(seen).toMatch(error);
  await expect(worker.client.workflow.getHandle(workflowId).describe()).rejects.toThrow(
    `workflow not found for ID: ${workflowId}`,
  );
  expect(journalLines(worker.journal.filePath)).toEqual(journalBefore);
});

test.each(['client', 'cli'] as Via[])(
  'unicode names and addresses are accepted via the %s and the order completes',
  async (via) => {
    const base = testOrder();
    const order: Order = {
      ...base,
      customer: { ...base.customer, name: 'Zoë Ångström 李小龍 👩‍👩‍👧' },
      shippingAddress: {
        name: 'Σωκράτης Παπαδόπουλος',
        line1: 'شارع الملك فهد 12',
        line2: 'квартира 5',
        city: 'Zürich',
        postalCode: '〒100-0001',
        country: 'JP',
      },
    };
    const journalBefore = journalLines(worker.journal.filePath);
    const workflowId = await startOrder(via, order);
    const result = await worker.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ orderId: order.orderId, status: { state: 'COMPLETED' } });
    const added = readJournalLines(worker.journal.filePath).slice(journalBefore.length);
    expect(added.filter((e) => e.orderId === order.orderId).map((e) => e.effect)).toEqual([
      'reserve',
      'charge',
      'ship',
      'notify',
    ]);
  },
);

/** `temporal workflow start --input-file`, as a person would for a big order (one argument is limited to 128 KiB). */
function startFromFile(workflowId: string, contents: string) {
  const file = path.join(dir, `${workflowId}.json`);
  fs.writeFileSync(file, contents);
  return temporalCli(
    'workflow',
    'start',
    '--task-queue',
    worker.taskQueue,
    '--type',
    ORDER_WORKFLOW_TYPE,
    '--workflow-id',
    workflowId,
    '--input-file',
    file,
  );
}
