/** The benchmark's statistics and its verdicts: a missed target must read MISSED, never "met". */

import { parseBenchArgs } from '../../bench/args';
import { renderReport, type BenchResults } from '../../bench/report';
import { median, percentile } from '../../bench/stats';
import { COLD_START_TARGET_MS } from '../../bench/targets';

const machine = { cpus: 2, cpuModel: 'test cpu', memoryGiB: 24, node: 'v20', arch: 'x64' };

test('percentiles interpolate between the sorted samples', () => {
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
  expect(percentile([7], 95)).toBe(7);
  expect(Number.isNaN(median([]))).toBe(true);
});

test('each target reads met or MISSED from the measured figures', () => {
  const results: BenchResults = {
    startedAt: '2026-11-22T00:00:00Z',
    machine,
    reps: 3,
    throughput: {
      concurrency: 20,
      ordersPerRep: 100,
      shopflowOrdersPerSecond: [7],
      baselineOrdersPerSecond: [10],
      medianShopflow: 7,
      medianBaseline: 10,
      ratio: 0.7,
      shopflowLatencyP50Ms: 1,
      shopflowLatencyP95Ms: 2,
      baselineLatencyP50Ms: 1,
      baselineLatencyP95Ms: 2,
    },
    coldStart: { coldMs: [900], warmMs: [400], medianColdMs: 900, medianWarmMs: 400 },
    failover: {
      slowStepMs: 4000,
      remainingWorkMs: 3000,
      killToCompleteMs: [16000],
      beyondRemainingWorkMs: [12000],
      medianKillToCompleteMs: 16000,
      medianBeyondRemainingWorkMs: 12000,
    },
  };
  const lines = renderReport(results).split('\n');
  expect(lines.find((l) => l.startsWith('throughput'))).toMatch(/0\.7 x, MISSED/);
  expect(lines.find((l) => l.startsWith('cold start'))).toMatch(new RegExp(`<= ${COLD_START_TARGET_MS} ms\\s+met`));
  expect(lines.find((l) => l.includes('beyond the work left'))).toMatch(/MISSED/);
});

test('bench flags are checked: defaults, sections, and a clear error for an unknown section', () => {
  expect(parseBenchArgs([], '/tmp/out.json')).toMatchObject({ reps: 5, orders: 100, out: '/tmp/out.json' });
  expect(parseBenchArgs(['--only', 'failover,cold-start', '--reps', '5'], 'x')).toMatchObject({
    only: ['failover', 'cold-start'],
    reps: 5,
  });
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  const error = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(() => parseBenchArgs(['--only', 'speed'], 'x')).toThrow('exit 2');
    expect(error.mock.calls[0][0]).toMatch(/--only: unknown section\(s\) speed; choose from throughput, growth/);
  } finally {
    exit.mockRestore();
    error.mockRestore();
  }
});
