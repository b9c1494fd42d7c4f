/** The memory section's choice: the cheapest size within both targets, or, when none is, the nearest, MISSED. */

import { parseBenchArgs, DEFAULT_MEMORY_SIZES, MEMORY_DEFAULT_REPS } from '../../machinery/bench/args';
import {
  chooseMemorySize,
  renderMemorySizes,
  type MemorySizeResult,
  type MemorySizeRow,
} from '../../machinery/bench/memory-report';
import { renderReport } from '../../machinery/bench/report';
import { COLD_START_TARGET_MS, FAILOVER_BEYOND_WORK_TARGET_MS } from '../../machinery/bench/targets';
import { UsageError } from '../../client/command-line';

function row(memoryMb: number, coldMs: number, failoverMs: number, usdPer1000Orders: number): MemorySizeRow {
  return {
    memoryMb,
    vcpus: memoryMb / 1769,
    coldMs: [coldMs],
    medianColdMs: coldMs,
    failoverBeyondWorkMs: [failoverMs],
    medianFailoverBeyondWorkMs: failoverMs,
    orders: 5,
    invocations: 3,
    billedGBSeconds: 1,
    gbSecondsPerOrder: 0.2,
    usdPer1000Orders,
    maxMemoryUsedMb: 230,
  };
}

const fast = COLD_START_TARGET_MS - 100;
const slow = COLD_START_TARGET_MS + 100;
const failoverOk = FAILOVER_BEYOND_WORK_TARGET_MS - 1000;
const failoverLate = FAILOVER_BEYOND_WORK_TARGET_MS + 1000;

test('the cheapest size per order among those within both targets is chosen', () => {
  const rows = [row(512, slow, failoverOk, 0.05), row(768, fast, failoverOk, 0.07), row(1024, fast, failoverOk, 0.09)];
  expect(chooseMemorySize(rows)).toEqual({
    memoryMb: 768,
    met: true,
    why: 'the cheapest per order within both targets',
  });
});

test('when no size meets both targets, the cheapest with failover met and a cold start near the fastest, missed', () => {
  const rows = [
    row(512, 4000, failoverOk, 0.05),
    row(768, 2900, failoverOk, 0.07),
    row(1024, 2700, failoverOk, 0.09),
    row(1769, 2000, failoverLate, 0.1),
  ];
  // 768 MB is within 25% of the fastest cold start with failover met (1024 MB's 2700 ms) and cheaper.
  expect(chooseMemorySize(rows)).toEqual({
    memoryMb: 768,
    met: false,
    why: 'no size met both targets: the cheapest with failover met whose cold start is within 25% of the fastest (2700 ms)',
  });
  // Far apart, the faster size wins even though it costs more.
  expect(chooseMemorySize([row(512, 4000, failoverOk, 0.05), row(1024, 2000, failoverOk, 0.09)])).toMatchObject({
    memoryMb: 1024,
    met: false,
  });
  expect(chooseMemorySize([row(512, slow, failoverLate, 0.05), row(1024, slow - 50, failoverLate, 0.09)])).toEqual({
    memoryMb: 512,
    met: false,
    why: `no size met both targets: the cheapest whose cold start is within 25% of the fastest (${slow - 50} ms)`,
  });
  expect(() => chooseMemorySize([])).toThrow(/no memory size/);
});

test('the memory table prints each size with its verdicts and the chosen size, in the bench report', () => {
  const rows = [row(512, slow, failoverOk, 0.05), row(1024, fast, failoverOk, 0.09)];
  const memory: MemorySizeResult = {
    cpuShare: 'cgroup v1, 1 vCPU per 1769 MB',
    cpuShareApplied: true,
    reps: 2,
    architecture: 'x86_64',
    usdPerGbSecond: 0.0000166667,
    usdPerMillionRequests: 0.2,
    coldStartTargetMs: COLD_START_TARGET_MS,
    failoverTargetMs: FAILOVER_BEYOND_WORK_TARGET_MS,
    rows,
    chosen: chooseMemorySize(rows),
  };
  const machine = { cpus: 2, cpuModel: 'test cpu', memoryGiB: 24, node: 'v20', arch: 'x64' };
  const lambdaCpu = "Lambda's share (cgroup v1, 1 vCPU per 1769 MB)";
  const lambdaNode = { 'nodejs22.x': 'v22.23.5' };
  const report = renderReport({ startedAt: '2026-11-30T00:00:00Z', machine, reps: 2, memory, lambdaNode, lambdaCpu });
  const lines = report.split('\n');
  expect(lines[1]).toBe(`Lambda environments ran nodejs22.x on Node v22.23.5; CPU per environment: ${lambdaCpu}`);
  expect(lines.find((l) => l.startsWith('512 '))).toMatch(new RegExp(`0\\.29\\s+${slow} \\(${slow}\\) MISSED`));
  expect(lines.find((l) => l.startsWith('1024 '))).toMatch(/met\s+\S+ met\s+1 \/ 3\s+0\.20\s+\$0\.0900\s+230$/);
  expect(lines.find((l) => l.startsWith('Chosen:'))).toBe(
    'Chosen: 1024 MB (the cheapest per order within both targets): met',
  );
  const missed = renderMemorySizes({ ...memory, chosen: { memoryMb: 512, met: false, why: 'none met' } }, () => '');
  expect(missed).toMatch(/Chosen: 512 MB \(none met\): MISSED$/);
});

test('--memory-sizes and the memory section repetitions: defaults, --reps, and a clear error', () => {
  expect(parseBenchArgs(['--only', 'memory'], 'x')).toMatchObject({
    only: ['memory'],
    memorySizes: [...DEFAULT_MEMORY_SIZES],
    memoryReps: MEMORY_DEFAULT_REPS,
  });
  expect(parseBenchArgs(['--memory-sizes', '256, 2048', '--reps', '3'], 'x')).toMatchObject({
    memorySizes: [256, 2048],
    memoryReps: 3,
  });
  expect(() => parseBenchArgs(['--memory-sizes', '64'], 'x')).toThrow(
    new UsageError('--memory-sizes must be a whole number from 128 to 10240 (got "64")'),
  );
});
