/** The timeline's pure parts: lanes in order of appearance, the wake-up ledger's causes, the text timeline. */

import { lanesOf } from '../../console/timeline/timeline-lanes';
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
