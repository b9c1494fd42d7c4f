/** The benchmark's statistics and its verdicts: a missed target must read MISSED, never "met". */

import { BENCH_SECTIONS, parseBenchArgs } from '../../machinery/bench/args';
import { UsageError } from '../../client/command-line';
import { BURST_SCALERS } from '../../machinery/bench/burst';
import { renderCacheAcceptance } from '../../machinery/bench/cache-acceptance';
import { renderReport, type BenchResults } from '../../machinery/bench/report';
import { median, percentile } from '../../machinery/bench/stats';

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
    coldStart: {
      coldMs: [900],
      warmMs: [400],
      medianColdMs: 900,
      medianWarmMs: 400,
      noCacheColdMs: [1100],
      noCacheWarmMs: [400],
      medianNoCacheColdMs: 1100,
      medianNoCacheWarmMs: 400,
      sourceMapsColdMs: [800],
      medianSourceMapsColdMs: 800,
      medianSourceMapsWarmMs: 400,
      cacheUsed: false,
      breakdown: [
        {
          processAndRuntimeInit: 100,
          handlerLoad: 200,
          runtimeHandOff: 0,
          connect: 100,
          workerCreate: 300,
          firstPoll: 100,
          firstTask: 100,
          workflowTask: 50,
          activityDispatch: 10,
          activityRun: 40,
          totalMs: 900,
          initDurationMs: 280,
        },
      ],
    },
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
  // Each figure beside its own verdict; a cache the environments did not use is said, not hidden.
  expect(lines.find((l) => l.startsWith('cold start'))).toMatch(/compile cache NOT USED.*<= 600 ms\s+MISSED/);
  // The breakdown: each part's ms and share, the whole against the same target.
  expect(lines.find((l) => l.startsWith('Cold start, as deployed, by part'))).toMatch(
    /whole: 900 ms, target <= 600 ms: MISSED; the service's Init Duration 280 ms/,
  );
  expect(lines.find((l) => l.startsWith('worker create'))).toMatch(/^worker create\s+300\s+33%$/);
  expect(lines.find((l) => l.includes('cold start, no compile cache'))).toMatch(/1100.*<= 1000 ms\s+MISSED/);
  expect(lines.find((l) => l.includes('--enable-source-maps'))).toMatch(/800.*<= 1000 ms\s+met/);
  expect(lines.find((l) => l.includes('beyond the work left'))).toMatch(/MISSED/);
});

test('bench flags are checked: defaults, sections, and a clear error for an unknown section', () => {
  expect(parseBenchArgs([], '/tmp/out.json')).toMatchObject({ reps: 5, orders: 100, out: '/tmp/out.json' });
  expect(parseBenchArgs(['--only', 'failover,cold-start', '--reps', '5'], 'x')).toMatchObject({
    only: ['failover', 'cold-start'],
    reps: 5,
  });
  expect(() => parseBenchArgs(['--only', 'speed'], 'x')).toThrow(
    new UsageError('--only: unknown section(s) speed; choose from ' + BENCH_SECTIONS.join(', ')),
  );
});

test("each burst's waste is judged on ShopFlow's scaler, with the controller's default beside it as the baseline", () => {
  const waste = (wastedShare: number, billedGBSeconds: number) => ({
    invocations: 4,
    useful: 3,
    wasted: 1,
    noSummary: 0,
    billedGBSeconds,
    wastedGBSeconds: billedGBSeconds * wastedShare,
    wastedShare,
  });
  const row = (scaler: string, share: number, gbs: number) => ({
    orders: 10,
    scaler,
    drainMs: 9000,
    peakEnvironments: 3,
    coldStarts: 3,
    waste: waste(share, gbs),
    lambdaUsd: 0.001,
    alwaysOnUsd: 0.0001,
    localWorkerDrainMs: 3000,
  });
  const results: BenchResults = {
    startedAt: '2026-11-30T00:00:00Z',
    machine,
    reps: 1,
    burst: {
      memoryMb: 1024,
      architecture: 'x86_64',
      usdPerGbSecond: 0.0000166667,
      usdPerMillionRequests: 0.2,
      alwaysOn: { label: 'test', usdPerHour: 0.02 },
      rows: [row(BURST_SCALERS[0].label, 0.08, 40), row(BURST_SCALERS[1].label, 0.8, 368)],
    },
  };
  const line = renderReport(results)
    .split('\n')
    .find((l) => l.startsWith('10-order burst, no worker up'));
  expect(line).toMatch(/8%, met\s+80% of 368 GB-s/);
});

test('the cache acceptance table: a row per maker, a column per loader, each cell used or NOT used with its load', () => {
  const cell = (madeBy: string, loadedBy: string, used: boolean, ms: number) => ({
    madeBy,
    loadedBy,
    used,
    line: '',
    medianLoadMs: ms,
    medianLoadCpuMs: ms + 10,
  });
  const text = renderCacheAcceptance(
    {
      nodes: [
        { version: 'v22.1.0', v8: '12.4', v8Tag: 1 },
        { version: 'v22.2.0', v8: '12.4', v8Tag: 1 },
      ],
      cells: [
        cell('none', 'v22.1.0', false, 300),
        cell('none', 'v22.2.0', false, 310),
        cell('v22.1.0', 'v22.1.0', true, 150),
        cell('v22.1.0', 'v22.2.0', false, 290),
      ],
      skipped: ['22.9.9: not on npm'],
    },
    (headers, rows) => [headers, ...rows].map((r) => r.join(' | ')).join('\n'),
  );
  expect(text).toContain(' | loaded by v22.1.0 | loaded by v22.2.0');
  expect(text).toContain('no cache (baseline) | 300 ms (CPU 310) | 310 ms (CPU 320)');
  expect(text).toContain('cache by v22.1.0 | used, 150 ms (CPU 160) | NOT used, 290 ms (CPU 300)');
  expect(text).toContain('skipped 22.9.9: not on npm');
});

test('--lambda-runtime takes a runtime with a pinned Node, --node-versions takes x.y.z versions', () => {
  expect(parseBenchArgs([], 'x')).toMatchObject({ lambdaRuntime: 'nodejs22.x' });
  expect(parseBenchArgs(['--lambda-runtime', 'nodejs24.x'], 'x')).toMatchObject({ lambdaRuntime: 'nodejs24.x' });
  expect(() => parseBenchArgs(['--lambda-runtime', 'nodejs18.x'], 'x')).toThrow(
    /--lambda-runtime must be one of nodejs22\.x, nodejs24\.x \(got "nodejs18\.x"\); .*machinery\/plumbing\/runtime-node\.ts/,
  );
  expect(parseBenchArgs(['--node-versions', '22.23.5, 24.22.3'], 'x')).toMatchObject({
    cacheNodeVersions: ['22.23.5', '24.22.3'],
  });
  expect(() => parseBenchArgs(['--node-versions', '22'], 'x')).toThrow(/--node-versions takes versions like 22\.23\.5/);
});

test("idle cost is judged against issue 23's 5% of the official lifecycle's GB-s for the same burst", () => {
  const waste = {
    invocations: 2,
    useful: 2,
    wasted: 0,
    noSummary: 0,
    billedGBSeconds: 0,
    wastedGBSeconds: 0,
    wastedShare: 0,
  };
  const lifecycle = (billedGBSeconds: number) => ({
    invocations: 2,
    billedGBSeconds,
    invocationsDuringIdle: 0,
    burstMs: 5500,
    waste: { ...waste, billedGBSeconds },
  });
  const line = (ours: number, official: number) =>
    renderReport({
      startedAt: '2026-12-06T00:00:00Z',
      machine,
      reps: 3,
      idleCost: {
        orders: 5,
        timeoutSeconds: 67,
        memoryMb: 1769,
        idleWindowS: 77,
        idleExit: lifecycle(ours),
        official: lifecycle(official),
        ratio: ours / official,
      },
    })
      .split('\n')
      .find((l) => l.startsWith('idle cost'));
  expect(line(15.8, 208.6)).toMatch(/15\.8\s+208\.6 \(official\)\s+<= 5% of official\s+7\.6%, MISSED/);
  expect(line(10, 208.6)).toMatch(/<= 5% of official\s+4\.8%, met/);
});
