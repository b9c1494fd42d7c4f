/** Counting wasted Lambda invocations from the handler's summaries, the burst's peak, and their verdicts. */

import { parseBenchArgs } from '../../machinery/bench/args';
import { UsageError } from '../../client/command-line';
import { peakOverlap } from '../../machinery/bench/burst';
import { billedGBSeconds, invocationUse, wasteOf } from '../../machinery/bench/invocation-waste';
import { renderWaste } from '../../machinery/bench/waste-report';
import type { InvocationSample } from '../../machinery/lambda-local/metrics';

function sample(durationMs: number, response: unknown, extra: Partial<InvocationSample> = {}): InvocationSample {
  return {
    requestId: 'r',
    functionName: 'f',
    startedAt: 1_000,
    endedAt: 1_000 + durationMs,
    error: false,
    coldStart: false,
    memoryMb: 1024,
    response: response === undefined ? undefined : JSON.stringify(response),
    ...extra,
  };
}

const summary = (activitiesStarted: number, workflowActivations: number, firstTaskAfterMs?: number) => ({
  identity: 'r@arn',
  stopReason: activitiesStarted + workflowActivations > 0 ? 'idle' : 'no-task',
  workTimeMs: 60_000,
  activitiesStarted,
  workflowActivations,
  firstTaskAfterMs,
  connectMs: 5,
});

test('an invocation is useful when its summary counts any task, activity or workflow activation', () => {
  expect(invocationUse(sample(100, summary(2, 0)))).toBe('useful');
  expect(invocationUse(sample(100, summary(0, 3)))).toBe('useful');
  expect(invocationUse(sample(100, summary(0, 0)))).toBe('wasted');
  // Failed, cut short, or a handler that returns no summary (the official lifecycle returns undefined): unknown.
  expect(invocationUse(sample(100, undefined, { error: true }))).toBe('no summary');
  expect(invocationUse(sample(100, null))).toBe('no summary');
  expect(invocationUse({ ...sample(100, undefined), response: '{"identity":"cut' })).toBe('no summary');
});

test('billed GB-s rounds each duration up to the millisecond and weighs it by memory', () => {
  expect(billedGBSeconds(sample(1_000, null))).toBeCloseTo(1);
  expect(billedGBSeconds(sample(999.2, null, { memoryMb: 512 }))).toBeCloseTo(0.5);
});

test('wasted GB-s and its share of the bill, and when the first task came', () => {
  const figures = wasteOf([
    sample(9_000, summary(4, 6, 120)),
    sample(1_000, summary(0, 0)),
    sample(2_000, undefined, { error: true }),
  ]);
  expect(figures).toMatchObject({
    invocations: 3,
    useful: 1,
    wasted: 1,
    noSummary: 1,
    billedGBSeconds: 12,
    wastedGBSeconds: 1,
  });
  expect(figures.wastedShare).toBeCloseTo(1 / 12, 3);
  expect(figures.firstTaskAfterMsMax).toBe(120);
  expect(wasteOf([]).wastedShare).toBe(0);
});

test('the waste table reads met or MISSED against 10% of the bill', () => {
  const text = renderWaste(
    [
      { name: 'lean', waste: wasteOf([sample(9_500, summary(1, 1)), sample(500, summary(0, 0))]) },
      { name: 'wasteful', waste: wasteOf([sample(5_000, summary(1, 1)), sample(5_000, summary(0, 0))]) },
    ],
    (headers, rows) => [headers, ...rows].map((r) => r.join(' | ')).join('\n'),
  );
  expect(text).toMatch(/lean .*\| 5%, met/);
  expect(text).toMatch(/wasteful .*\| 50%, MISSED/);
});

test('peak environments: the most invocations overlapping at one moment', () => {
  const span = (startedAt: number, endedAt: number) => ({ startedAt, endedAt });
  expect(peakOverlap([])).toBe(0);
  expect(peakOverlap([span(0, 10), span(5, 15), span(8, 9), span(20, 30)])).toBe(3);
  // One ends as the next starts: the environment was reused, not a second one.
  expect(peakOverlap([span(0, 10), span(10, 20)])).toBe(1);
});

test('--burst-sizes: a list of whole numbers, defaulting to 10, 50 and 200', () => {
  expect(parseBenchArgs([], 'x')).toMatchObject({ burstSizes: [10, 50, 200] });
  expect(parseBenchArgs(['--only', 'burst', '--burst-sizes', '10, 25'], 'x')).toMatchObject({
    only: ['burst'],
    burstSizes: [10, 25],
  });
  expect(parseBenchArgs(['--first-task-grace-ms', '0'], 'x')).toMatchObject({ firstTaskGraceMs: 0 });
  expect(parseBenchArgs([], 'x')).toMatchObject({ firstTaskGraceMs: undefined });
  expect(parseBenchArgs([], 'x')).toMatchObject({ lambdaNode: 'runtime' });
  expect(parseBenchArgs(['--lambda-node', 'host'], 'x')).toMatchObject({ lambdaNode: 'host' });
  expect(() => parseBenchArgs(['--burst-sizes', '10,lots'], 'x')).toThrow(
    new UsageError('--burst-sizes must be a whole number from 1 to 500 (got "lots")'),
  );
  expect(() => parseBenchArgs(['--lambda-node', 'node20'], 'x')).toThrow(
    new UsageError('--lambda-node must be runtime or host (got "node20")'),
  );
});
