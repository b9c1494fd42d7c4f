/** The arrival-rates section's pure parts: when orders arrive, and the per-order arithmetic of one rate. */

import { parseBenchArgs } from '../../machinery/bench/args';
import { renderArrivalRates } from '../../machinery/bench/arrival-report';
import { arrivalPlan, DEFAULT_ARRIVAL_WINDOW_S, MIN_ORDERS_PER_RATE } from '../../machinery/bench/arrival-schedule';
import { UsageError } from '../../client/command-line';
import { rateFigures } from '../../machinery/bench/traffic-figures';
import type { InvocationSample } from '../../machinery/lambda-local/metrics';

function invocation(durationMs: number, extra: Partial<InvocationSample> = {}): InvocationSample {
  return {
    requestId: 'r',
    functionName: 'f',
    startedAt: 1_000,
    endedAt: 1_000 + durationMs,
    error: false,
    coldStart: false,
    memoryMb: 1024,
    ...extra,
  };
}

test('orders arrive evenly over the window', () => {
  expect(arrivalPlan(6, 60)).toEqual({
    ordersPerMinute: 6,
    orders: 6,
    offsetsMs: [0, 10_000, 20_000, 30_000, 40_000, 50_000],
    windowS: 60,
  });
  expect(arrivalPlan(300, 60).orders).toBe(300);
  expect(arrivalPlan(300, 60).offsetsMs[1]).toBe(200);
});

test('a rate too slow for the window still sends the minimum, and its window stretches to fit them', () => {
  const plan = arrivalPlan(1, 60);
  expect(plan.orders).toBe(MIN_ORDERS_PER_RATE);
  expect(plan.offsetsMs).toEqual([0, 60_000]);
  expect(plan.windowS).toBe(120);
});

test('billed time, invocations, cold starts and INIT are divided by the orders', () => {
  const figures = rateFigures({
    ordersPerMinute: 6,
    windowS: 60,
    orders: 4,
    // 1024 MB: 1 GB, so each second billed is one GB-s; the cold one spent 800 ms of its 3 s in INIT.
    invocations: [invocation(3_000, { coldStart: true, initDurationMs: 800 }), invocation(5_000)],
    completedLatenciesMs: [2_000, 2_100, 2_200, 3_000],
  });
  expect(figures).toEqual({
    ordersPerMinute: 6,
    orders: 4,
    windowS: 60,
    gbSecondsPerOrder: 2,
    invocationsPerOrder: 0.5,
    coldStartsPerOrder: 0.25,
    initGbSecondsPerOrder: 0.2,
    latencyP50Ms: 2150,
    latencyP95Ms: 2880,
    completed: 4,
  });
});

test('orders that did not complete count against completed, not in the latencies', () => {
  const figures = rateFigures({
    ordersPerMinute: 1,
    windowS: 120,
    orders: 2,
    invocations: [invocation(4_000)],
    completedLatenciesMs: [2_500],
  });
  expect(figures.completed).toBe(1);
  expect(figures.latencyP50Ms).toBe(2500);
  expect(figures.gbSecondsPerOrder).toBe(2);
});

test("the section's flags: window, sizes and --save-traffic, which is off unless given", () => {
  expect(parseBenchArgs(['--only', 'arrival-rates'], 'x')).toMatchObject({
    only: ['arrival-rates'],
    arrivalWindowS: DEFAULT_ARRIVAL_WINDOW_S,
    arrivalMemorySizes: [1769],
    saveTraffic: false,
  });
  expect(
    parseBenchArgs(['--arrival-window-s', '30', '--arrival-memory-sizes', '1769,1024', '--save-traffic'], 'x'),
  ).toMatchObject({ arrivalWindowS: 30, arrivalMemorySizes: [1769, 1024], saveTraffic: true });
  expect(() => parseBenchArgs(['--arrival-window-s', '5'], 'x')).toThrow(UsageError);
});

test('the report shows each rate beside the lone order and marks a rate with unfinished orders', () => {
  const lone = rateFigures({
    ordersPerMinute: 1,
    windowS: 120,
    orders: 2,
    invocations: [invocation(3_000), invocation(3_000)],
    completedLatenciesMs: [2_500, 2_600],
  });
  const busy = rateFigures({
    ordersPerMinute: 120,
    windowS: 60,
    orders: 120,
    invocations: [invocation(60_000)],
    completedLatenciesMs: Array.from({ length: 119 }, () => 2_400),
  });
  const text = renderArrivalRates(
    {
      windowS: 60,
      functions: [{ memoryMb: 1024, architecture: 'x86_64', rates: [lone, busy] }],
      alwaysOnWorker: {
        ordersPerSecond: 16.8,
        latencyP50Ms: 5300,
        latencyP95Ms: 6400,
        concurrency: 100,
        steps: [{ concurrency: 100, orders: 200, ordersPerSecond: 16.8, latencyP50Ms: 5300 }],
      },
    },
    (headers, rows) => [headers, ...rows].map((r) => r.join(' | ')).join('\n'),
  );
  expect(text).toContain('1/min | 2/2 in 120 s | 3 (baseline)');
  expect(text).toContain('2/s | 119/120 in 60 s | 0.5 (lone: 3)');
  expect(text).toContain('not all completed: MISSED');
  expect(text).toContain('16.8 orders/s at 100 in flight');
});
