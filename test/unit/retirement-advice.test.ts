/** When a version may be retired: DRAINED with no open order on two reads a drainage refresh apart, never sooner. */

import { retirementAdvice, type VersionRow } from '../../machinery/deployment/version-drainage';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';
const row = (overrides: Partial<VersionRow>): VersionRow => ({
  buildId: 'v1',
  status: 'DRAINED',
  drainage: 'DRAINED',
  functionArn: `${ARN}:3`,
  openOrders: 0,
  ...overrides,
});
const current = row({ buildId: 'v2', status: 'CURRENT', drainage: undefined, functionArn: `${ARN}:4` });
const read = (at: number, v1: Partial<VersionRow>) => ({ at, rows: [row(v1), current] });
const DELETE = [
  '  temporal worker deployment delete-version --deployment-name shopflow --build-id v1',
  '  aws lambda delete-function --function-name shopflow-worker --qualifier 3',
];

test.each<[string, ReturnType<typeof read>[], string[]]>([
  [
    'drained on two reads a refresh apart: the commands',
    [read(0, {}), read(180_000, {})],
    ['v1: drained (DRAINED, no open order, on two reads 180 s apart): retire it with', ...DELETE],
  ],
  [
    'drained on one read only: read again first',
    [read(0, {})],
    [
      'v1: DRAINED with no open order, on one read so far: read again in 180 s before retiring it (temporal worker deployment describe --name shopflow); visibility counts lag',
    ],
  ],
  [
    'two reads closer than a refresh: not yet',
    [read(0, {}), read(60_000, {})],
    [
      'v1: DRAINED with no open order, on one read so far: read again in 180 s before retiring it (temporal worker deployment describe --name shopflow); visibility counts lag',
    ],
  ],
  [
    'the earlier read still counted an order: not yet',
    [read(0, { openOrders: 1, status: 'DRAINING', drainage: 'DRAINING' }), read(200_000, {})],
    [
      'v1: DRAINED with no open order, on one read so far: read again in 180 s before retiring it (temporal worker deployment describe --name shopflow); visibility counts lag',
    ],
  ],
  [
    'no open order counted, but the server says DRAINING: not yet',
    [
      read(0, { status: 'DRAINING', drainage: 'DRAINING' }),
      read(200_000, { status: 'DRAINING', drainage: 'DRAINING' }),
    ],
    ['v1: 0 order(s) still open (DRAINING): retire it once it is DRAINED with no open order on two reads 180 s apart'],
  ],
  [
    'orders still open',
    [read(0, { status: 'DRAINING', drainage: 'DRAINING', openOrders: 2 })],
    ['v1: 2 order(s) still open (DRAINING): retire it once it is DRAINED with no open order on two reads 180 s apart'],
  ],
])('%s', (_name, reads, expected) => {
  expect(retirementAdvice(reads, 'shopflow', 180)).toEqual(expected);
});

test('the current version is never advised for retirement, and no reads give no advice', () => {
  expect(
    retirementAdvice(
      [
        { at: 0, rows: [current] },
        { at: 999_000, rows: [current] },
      ],
      'shopflow',
      180,
    ),
  ).toEqual([]);
  expect(retirementAdvice([], 'shopflow', 180)).toEqual([]);
});
