/** The timeline's pure parts: lanes in order of appearance, the wake-up ledger's causes, the text timeline. */

import { recordsOf, summaryOf } from '../../console/sources/timeline-source';
import {
  FOLDED_LANE,
  MAX_LAMBDA_LANES,
  MAX_SEPARATE_BARS,
  layoutTimeline,
} from '../../console/timeline/timeline-layout';
import { lanesOf, letterOf } from '../../console/timeline/timeline-lanes';
import { environmentOfStream, parseReportLine } from '../../console/timeline/report-line';
import { formatTextTimeline } from '../../console/timeline/text-timeline';
import type { TimelineAttempt, TimelineView } from '../../console/timeline/timeline-types';
import { invocationMarks, ledgerEntries, type InvocationRecord } from '../../console/timeline/wakeup-ledger';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker:1';
const T0 = Date.parse('2026-12-02T10:00:00Z');

function attempt(
  activity: string,
  worker: string,
  from: number,
  to: number,
  outcome: TimelineAttempt['outcome'],
  n = 1,
): TimelineAttempt {
  return {
    workflowId: 'order-a1',
    orderId: 'a1',
    activity,
    kind: 'step',
    attempt: n,
    worker,
    startedAt: T0 + from,
    endedAt: T0 + to,
    outcome,
  };
}

const records: InvocationRecord[] = [
  {
    requestId: 'check000',
    environmentId: 'env-one',
    startedAt: T0 + 100,
    endedAt: T0 + 1_100,
    memoryMb: 1024,
    initMs: 400,
    summary: { identity: `check000@${ARN}`, workflowActivations: 0, activitiesStarted: 0 },
  },
  {
    requestId: 'work0000',
    environmentId: 'env-one',
    startedAt: T0 + 8_000,
    endedAt: T0 + 30_000,
    memoryMb: 1024,
    summary: { identity: `work0000@${ARN}`, workflowActivations: 2, activitiesStarted: 2 },
  },
  {
    requestId: 'idle0000',
    environmentId: 'env-two',
    startedAt: T0 + 8_100,
    endedAt: T0 + 10_000,
    memoryMb: 1024,
    initMs: 500,
    summary: { identity: `idle0000@${ARN}`, workflowActivations: 0, activitiesStarted: 0 },
  },
  {
    requestId: 'query000',
    environmentId: 'env-one',
    startedAt: T0 + 40_000,
    endedAt: T0 + 42_000,
    memoryMb: 1024,
    summary: { identity: `query000@${ARN}`, workflowActivations: 1, activitiesStarted: 0 },
  },
];
const attempts = [
  attempt('reserveInventory', '4441@laptop', 1_000, 1_500, 'completed'),
  attempt('chargeCustomer', '4441@laptop', 1_600, 2_000, 'completed'),
  attempt('createShipment', '4441@laptop', 2_100, 9_000, 'timed out'),
  attempt('createShipment', `work0000@${ARN}`, 10_000, 28_000, 'completed', 2),
  attempt('notifyCustomer', `work0000@${ARN}`, 28_100, 28_500, 'completed'),
];
const tasks = [
  { workflowId: 'order-a1', orderId: 'a1', worker: `work0000@${ARN}`, startedAt: T0 + 28_000, endedAt: T0 + 28_050 },
];

test('every invocation gets its cause and work, its billed duration and GB-s', () => {
  const entries = ledgerEntries(records, attempts, tasks);
  expect(entries.map((e) => [e.requestId, e.cause, e.text])).toEqual([
    ['check000', 'registration check', 'registration check (ran no task)'],
    ['work0000', 'tasks', '2 activity tasks / 1 workflow task of order a1'],
    ['idle0000', 'no task', 'no task (another environment took it)'],
    ['query000', 'query or update', 'a query or update (1 workflow activation, nothing in any history)'],
  ]);
  expect(entries[1]).toMatchObject({ billedMs: 22_000, gbSeconds: 22 });
});

test('a running invocation says so, and the count is back to zero only once all have ended', () => {
  const running = [
    ...records,
    { requestId: 'live0000', environmentId: 'env-two', startedAt: T0 + 50_000, memoryMb: 1024 },
  ];
  expect(ledgerEntries(running, [], []).at(-1)).toMatchObject({ cause: 'running', text: 'running: no task yet' });
  expect(invocationMarks(running).map((m) => m.kind)).toEqual(['first cold start']);
  expect(invocationMarks(records)).toEqual([
    { at: T0 + 100, kind: 'first cold start', label: 'first cold start' },
    { at: T0 + 42_000, kind: 'back to zero', label: '0 invocations' },
  ]);
});

const view: TimelineView = {
  mode: 'local',
  now: T0 + 60_000,
  attempts,
  workflowTasks: tasks,
  invocations: ledgerEntries(records, attempts, tasks).map((ledger, i) => ({ ...records[i], ledger })),
  marks: [{ at: T0 + 3_000, kind: 'kill', label: 'local pid 4441 killed by SIGKILL' }, ...invocationMarks(records)],
};

test('lanes: the local worker first, then each environment in the order it appeared', () => {
  expect(lanesOf(view).map((l) => l.label)).toEqual(['local pid 4441', 'Lambda env-one', 'Lambda env-two']);
});

test('the text timeline: one line per lane, letters where each step ran, the kill and zero on the marks line', () => {
  const lines = formatTextTimeline(view, 60);
  expect(lines[0]).toBe('Timeline 10:00:00 to 10:01:00 (one column = 1.0 s):');
  const lane = (label: string) => lines.find((l) => l.trimStart().startsWith(label))!.split('|')[1];
  expect(lane('local pid 4441')).toBe('RCSSSSSSx' + ' '.repeat(51));
  // env-one: cold start, the registration check idling, then the shipment's retry and the notification, idle tail.
  expect(lane('Lambda env-one')).toBe('#.     ..' + 'S'.repeat(19) + 'N.' + ' '.repeat(9) + '...' + ' '.repeat(18));
  expect(lane('Lambda env-two')).toBe(' '.repeat(8) + '#.' + ' '.repeat(50));
  expect(lane('marks')).toBe('* K' + ' '.repeat(38) + '0' + ' '.repeat(18));
});

test('nothing ran: one line says so', () => {
  expect(
    formatTextTimeline({ mode: 'local', now: T0, attempts: [], workflowTasks: [], invocations: [], marks: [] }),
  ).toEqual(['Timeline: nothing ran.']);
});

const box = { x: 100, width: 600, laneHeight: 40, now: T0 + 60_000 };

test('layout: bars in their worker lane and step row, spans with cold start and idle tail, marks on the axis', () => {
  const withTail: TimelineView = {
    ...view,
    invocations: view.invocations.map((i) => (i.requestId === 'work0000' ? { ...i, lastTaskEndedAt: T0 + 28_500 } : i)),
  };
  const layout = layoutTimeline(withTail, box);
  expect(layout.lanes.map((l) => [l.key, l.y])).toEqual([
    ['local:4441', 0],
    ['env:env-one', 40],
    ['env:env-two', 80],
  ]);
  expect(layout.merged).toBe(false);
  // The axis runs from the first thing drawn (the check's start, T0 + 100 ms) to now, over 600 px from x = 100.
  const xAt = (ms: number) => 100 + ((ms - 100) * 600) / 59_900;
  const retry = layout.bars.find((b) => b.attempt?.attempt === 2)!;
  expect(retry).toMatchObject({ lane: 'env:env-one', ended: 'ok' });
  expect([retry.x, retry.width]).toEqual([xAt(10_000), xAt(28_000) - xAt(10_000)]);
  const timedOut = layout.bars.find((b) => b.attempt?.outcome === 'timed out')!;
  expect(timedOut).toMatchObject({ lane: 'local:4441', ended: 'failed' });
  // Reserve in the lane's first step row, the shipment in its third: each step has its own row.
  const [reserve] = layout.bars;
  expect(retry.y - timedOut.y).toBe(40); // the same step row, one lane down
  expect(timedOut.y - reserve.y).toBeCloseTo(2 * ((40 * 0.8) / 4));
  const work = layout.spans.find((s) => s.invocation.requestId === 'work0000')!;
  expect(work).toMatchObject({ lane: 'env:env-one', initWidth: 0, x: xAt(8_000), idleX: xAt(28_500) });
  expect(work.width).toBeCloseTo(xAt(30_000) - xAt(8_000));
  const check = layout.spans.find((s) => s.invocation.requestId === 'check000')!;
  expect(check.x).toBe(100);
  expect(check.initWidth).toBeCloseTo(xAt(500) - 100);
  expect(layout.marks.map((m) => [m.mark.kind, m.x])).toEqual([
    ['kill', xAt(3_000)],
    ['first cold start', 100],
    ['back to zero', xAt(42_000)],
  ]);
  expect(layout.ticks.length).toBeGreaterThan(3);
  expect(layout.ticks.every((t, i, all) => i === 0 || t.at > all[i - 1].at)).toBe(true);
});

test('layout: past the bar budget each lane merges its attempts per step, failures still drawn one by one', () => {
  const many: TimelineAttempt[] = Array.from({ length: MAX_SEPARATE_BARS + 40 }, (_, i) =>
    attempt('reserveInventory', '4441@laptop', i * 100, i * 100 + 150, 'completed'),
  );
  many.push(attempt('chargeCustomer', '4441@laptop', 1_000, 1_200, 'failed'));
  const layout = layoutTimeline({ ...view, attempts: many, invocations: [], marks: [] }, box);
  expect(layout.merged).toBe(true);
  const reserve = layout.bars.filter((b) => b.activity === 'reserveInventory');
  expect(reserve).toHaveLength(1);
  expect(reserve[0]).toMatchObject({ count: MAX_SEPARATE_BARS + 40 });
  expect(reserve[0]).not.toHaveProperty('attempt');
  expect(layout.bars.filter((b) => b.ended === 'failed')).toHaveLength(1);
});

test('a long haul draws as the shipment: letter S in its row, one bar broken across invocations', () => {
  const haul = [
    attempt('reserveInventory', `idle0000@${ARN}`, 8_200, 8_300, 'completed'),
    attempt('haulShipmentChunk', `idle0000@${ARN}`, 8_400, 9_900, 'completed'),
    attempt('haulShipmentChunk', `work0000@${ARN}`, 10_000, 14_000, 'completed'),
    attempt('haulShipmentChunk', `work0000@${ARN}`, 14_020, 18_000, 'completed'),
    attempt('createShipment', `work0000@${ARN}`, 18_020, 18_500, 'completed'),
  ];
  expect(letterOf('haulShipmentChunk')).toBe('S');
  const haulView: TimelineView = { ...view, attempts: haul, workflowTasks: [], marks: [] };
  const lines = formatTextTimeline(haulView, 60);
  const lane = (label: string) => lines.find((l) => l.trimStart().startsWith(label))!.split('|')[1];
  expect(lane('Lambda env-two').slice(8, 10)).toBe('SS');
  expect(lane('Lambda env-one').slice(10, 19)).toBe('S'.repeat(9));
  expect(lines.join('\n')).not.toContain('?');

  // Every chunk bar sits in the shipment row of its own lane, where createShipment's bar sits.
  const layout = layoutTimeline(haulView, box);
  const laneY = new Map(layout.lanes.map((l) => [l.key, l.y]));
  const rowOf = (b: (typeof layout.bars)[number]) => b.y - laneY.get(b.lane)!;
  const shipmentRow = rowOf(layout.bars.find((b) => b.activity === 'createShipment')!);
  const chunks = layout.bars.filter((b) => b.activity === 'haulShipmentChunk');
  expect(new Set(chunks.map((b) => b.lane))).toEqual(new Set(['env:env-two', 'env:env-one']));
  for (const bar of chunks) expect(rowOf(bar)).toBeCloseTo(shipmentRow);
  expect(shipmentRow).toBeCloseTo(40 * 0.1 + 2 * ((40 * 0.8) / 4));

  // Past the bar budget, a lane's chunks and its createShipment merge into one shipment bar.
  const filler = Array.from({ length: MAX_SEPARATE_BARS }, (_, i) =>
    attempt('reserveInventory', '4441@laptop', i * 10, i * 10 + 5, 'completed'),
  );
  const merged = layoutTimeline({ ...haulView, attempts: [...filler, ...haul] }, box);
  expect(merged.merged).toBe(true);
  const shipment = merged.bars.filter((b) => b.lane === 'env:env-one' && letterOf(b.activity) === 'S');
  expect(shipment).toHaveLength(1);
  expect(shipment[0]).toMatchObject({ count: 3 });
});

test('layout: past six Lambda environments the rest fold into one lane', () => {
  const invocations = Array.from({ length: MAX_LAMBDA_LANES + 3 }, (_, i) => ({
    ...view.invocations[0],
    requestId: `req${i}`,
    environmentId: `env-${i}`,
    startedAt: T0 + i * 1_000,
  }));
  const layout = layoutTimeline({ ...view, attempts: [], workflowTasks: [], invocations, marks: [] }, box);
  expect(layout.lanes.map((l) => l.label)).toEqual([
    ...invocations.slice(0, MAX_LAMBDA_LANES - 1).map((i) => `Lambda ${i.environmentId}`),
    '4 more Lambda environments',
  ]);
  expect(layout.spans.filter((s) => s.lane === FOLDED_LANE)).toHaveLength(4);
});

test("the local service's report becomes the ledger's records; a summary cut short or not ours is left out", () => {
  const report = {
    functionName: 'shopflow-worker',
    memoryMb: 1769,
    finished: [
      {
        requestId: 'a',
        startedAt: T0,
        endedAt: T0 + 900,
        memoryMb: 1769,
        environmentId: 'env-1',
        initDurationMs: 420,
        response: JSON.stringify({
          identity: `a@${ARN}`,
          stopReason: 'idle',
          activitiesStarted: 2,
          workflowActivations: 3,
        }),
      },
      { requestId: 'b', startedAt: T0 + 1_000, endedAt: T0 + 2_000, memoryMb: 1769, response: '{"identity":"b@ar' },
      { requestId: 'old', startedAt: T0 - 60_000, endedAt: T0 - 59_000, memoryMb: 1769 },
    ],
    running: [{ requestId: 'c', startedAt: T0 + 3_000, environmentId: 'env-2' }],
  };
  expect(recordsOf(report, T0 - 1)).toEqual([
    {
      requestId: 'a',
      environmentId: 'env-1',
      startedAt: T0,
      endedAt: T0 + 900,
      memoryMb: 1769,
      initMs: 420,
      errorType: undefined,
      summary: {
        identity: `a@${ARN}`,
        stopReason: 'idle',
        activitiesStarted: 2,
        workflowActivations: 3,
        startupMs: undefined,
      },
    },
    expect.objectContaining({ requestId: 'b', summary: undefined }),
    { requestId: 'c', environmentId: 'env-2', startedAt: T0 + 3_000, memoryMb: 1769 },
  ]);
  expect(summaryOf('not json')).toBeUndefined();
});

test('a REPORT line is an invocation: its span ends at the line, INIT before Duration; the stream is its environment', () => {
  const at = T0 + 10_000;
  const stream = '2026/12/02/[$LATEST]9f1c2b3a4d5e6f708192a3b4c5d6e7f8';
  expect(
    parseReportLine(
      'REPORT RequestId: 8f5e0c1a-0000-4000-8000-000000000001\tDuration: 1500.25 ms\tBilled Duration: 1913 ms\tMemory Size: 1769 MB\tMax Memory Used: 161 MB\tInit Duration: 412.33 ms\t',
      at,
      stream,
    ),
  ).toEqual({
    requestId: '8f5e0c1a-0000-4000-8000-000000000001',
    environmentId: 'env-9f1c2b3a',
    startedAt: Math.round(at - 1500.25 - 412.33),
    endedAt: at,
    memoryMb: 1769,
    initMs: 412.33,
  });
  expect(
    parseReportLine(
      'REPORT RequestId: r2\tDuration: 67000.00 ms\tBilled Duration: 67000 ms\tMemory Size: 1769 MB\tMax Memory Used: 170 MB\tStatus: timeout',
      at,
    ),
  ).toMatchObject({ requestId: 'r2', errorType: 'timeout', startedAt: at - 67_000, environmentId: undefined });
  expect(parseReportLine('START RequestId: r3 Version: 1', at)).toBeUndefined();
  expect(parseReportLine('REPORT RequestId: r4\tDuration: soon', at)).toBeUndefined();
  expect(environmentOfStream('not a stream')).toBeUndefined();
});
