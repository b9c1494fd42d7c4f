/** The workload cost model against cases worked out by hand, and its inputs' bad-input table with exact messages. */

import { breakEvenOrdersPerDay, costCurve, costOf } from '../../cost/cost-model';
import type { MeasuredTraffic } from '../../cost/measured-traffic';
import { perOrderAt } from '../../cost/measured-traffic';
import { parseWorkload, workloadText } from '../../cost/parse-workload';
import { DEFAULT_WORKLOAD, type Workload } from '../../config/workload';

/** Two measured rates at 1024 MB: a lone order a minute, and 100 a minute sharing warm environments. */
const traffic: MeasuredTraffic = {
  date: '2026-12-02',
  commit: 'test',
  machine: 'test',
  command: 'test',
  functions: [
    {
      memoryMb: 1024,
      architecture: 'x86_64',
      rates: [
        {
          ordersPerMinute: 1,
          orders: 5,
          windowS: 300,
          gbSecondsPerOrder: 4,
          invocationsPerOrder: 1,
          coldStartsPerOrder: 1,
          initGbSecondsPerOrder: 0.4,
          latencyP50Ms: 2000,
          latencyP95Ms: 3000,
          completed: 5,
        },
        {
          ordersPerMinute: 100,
          orders: 100,
          windowS: 60,
          gbSecondsPerOrder: 1,
          invocationsPerOrder: 0.1,
          coldStartsPerOrder: 0.02,
          initGbSecondsPerOrder: 0.01,
          latencyP50Ms: 2500,
          latencyP95Ms: 4000,
          completed: 100,
        },
      ],
    },
  ],
  alwaysOnWorker: { ordersPerSecond: 10, latencyP50Ms: 2000 },
};
const oneAMinute: Workload = {
  ...DEFAULT_WORKLOAD,
  ordersPerDay: 1440,
  busyHoursPerDay: 24,
  peakFactor: 3,
  fleetMinimum: 2,
  memoryMb: 1024,
  architecture: 'x86_64',
};
const t3small = { label: 'EC2 t3.small', usdPerHour: 0.0208 };

test('one order a minute all day: each side worked out by hand', () => {
  const answer = costOf(oneAMinute, t3small, traffic);
  // 1440 a day x 730/24 days = 43 800 orders a month.
  expect(answer.ordersPerMonth).toBeCloseTo(43_800, 6);
  // 4 GB-s x $0.0000166667 + 1 request x $0.2/1M = $0.0000668668 an order.
  expect(answer.serverless.usdPerOrder).toBeCloseTo(0.0000668668, 10);
  expect(answer.serverless.usdPerMonth).toBeCloseTo(43_800 * 0.0000668668, 6);
  // Peak 3/60 orders/s needs 1 worker; the fleet keeps its minimum of 2: 2 x $0.0208 x 730 h = $30.368.
  expect(answer.alwaysOn.instances).toBe(2);
  expect(answer.alwaysOn.usdPerMonth).toBeCloseTo(30.368, 6);
  // Capacity 2 x 10 orders/s x 730 h x 3600 s = 52 560 000 orders; 43 800 of them used.
  expect(answer.alwaysOn.utilisation).toBeCloseTo(43_800 / 52_560_000, 12);
  expect(answer.alwaysOn.idleUsdPerMonth).toBeCloseTo(30.368 * (1 - 43_800 / 52_560_000), 6);
  expect(answer.cheaper).toBe('serverless');
  expect(answer.formulas.join('\n')).toMatch(/left out of both sides/);
});

test('between measured rates the per-order figures are interpolated on a log scale; outside, the nearest stands', () => {
  // 10 orders a minute is half-way between 1 and 100 on a log scale.
  expect(perOrderAt(traffic, 1024, 10)).toMatchObject({ billedSeconds: 2.5, invocations: 0.55, latencyP50Ms: 2250 });
  expect(perOrderAt(traffic, 1024, 0.01)).toMatchObject({ billedSeconds: 4, invocations: 1 });
  expect(perOrderAt(traffic, 1024, 10_000)).toMatchObject({ billedSeconds: 1, invocations: 0.1 });
  // Billed time barely moves with memory: at 2048 MB the same 4 s cost 8 GB-s.
  const answer = costOf({ ...oneAMinute, memoryMb: 2048 }, t3small, traffic);
  expect(answer.serverless.gbSecondsPerMonth / answer.ordersPerMonth).toBeCloseTo(8, 10);
});

test('the fleet grows with the peak: 12 orders/s at peak need 2 workers of 10, 30 need 3', () => {
  // 4 orders/s over 24 h, peak x3 = 12/s.
  const busy = { ...oneAMinute, ordersPerDay: 4 * 86_400 };
  expect(costOf(busy, t3small, traffic).alwaysOn.instances).toBe(2);
  expect(costOf({ ...busy, peakFactor: 7.5 }, t3small, traffic).alwaysOn.instances).toBe(3);
});

test('break-even: below it the serverless side is cheaper, above it the always-on fleet', () => {
  const even = breakEvenOrdersPerDay(oneAMinute, t3small, traffic)!;
  expect(even).toBeGreaterThan(1);
  const at = (ordersPerDay: number) => costOf({ ...oneAMinute, ordersPerDay }, t3small, traffic);
  expect(at(even).serverless.usdPerMonth).toBeCloseTo(at(even).alwaysOn.usdPerMonth, 2);
  expect(at(even * 0.9).cheaper).toBe('serverless');
  expect(at(even * 1.1).cheaper).toBe('always-on');
  // Hand check at that rate (all day, so r = even / 1440 orders/min, between the measured 1 and 100): billed
  // seconds 4 - 1.5 log10 r, requests 1 - 0.45 log10 r, 730/24 days; it equals the fleet's 2 x $0.0208 x 730 h.
  const r = even / 1440;
  const usdPerOrder = (4 - 1.5 * Math.log10(r)) * 0.0000166667 + ((1 - 0.45 * Math.log10(r)) * 0.2) / 1e6;
  expect(even * (730 / 24) * usdPerOrder).toBeCloseTo(30.368, 3);
});

test('the chart: both curves at log-spaced orders a day, the fleet flat until the peak needs more', () => {
  const curve = costCurve(oneAMinute, t3small, traffic, 10, 100_000, 5);
  expect(curve.map((p) => Math.round(p.ordersPerDay))).toEqual([10, 100, 1_000, 10_000, 100_000]);
  expect(curve[0].alwaysOnUsd).toBeCloseTo(30.368, 6);
  expect(curve.every((p, i) => i === 0 || p.serverlessUsd > curve[i - 1].serverlessUsd)).toBe(true);
});

test.each([
  [{ 'orders-per-day': 'abc' }, 'orders per day "abc" is not a number: give a number from 1 to 1000000000'],
  [{ 'orders-per-day': '0' }, 'orders per day 0 is out of range: give a number from 1 to 1000000000'],
  [{ 'orders-per-day': '-5' }, 'orders per day -5 is out of range: give a number from 1 to 1000000000'],
  [{ 'orders-per-day': '1e12' }, 'orders per day 1000000000000 is out of range: give a number from 1 to 1000000000'],
  [{ 'orders-per-day': 'NaN' }, 'orders per day "NaN" is not a number: give a number from 1 to 1000000000'],
  [{ 'orders-per-day': '' }, 'orders per day "" is not a number: give a number from 1 to 1000000000'],
  [{ 'busy-hours': '25' }, 'busy hours 25 is out of range: give a number from 1 to 24'],
  [{ 'peak-factor': '0.5' }, 'peak factor 0.5 is out of range: give a number from 1 to 100'],
  [{ fleet: '1.5xt3.small' }, 'fleet count 1.5 is not a whole number: give a whole number from 1 to 1000'],
  [{ fleet: '2x' }, 'fleet "2x" is not <count>x<instance>: for example 2xt3.small'],
  [{ fleet: '0xt3.small' }, 'fleet count 0 is out of range: give a whole number from 1 to 1000'],
  [
    { fleet: '2xt9.huge' },
    'fleet instance "t9.huge" is unknown: choose one of t3.small, t3.medium, m7g.medium, fargate-0.5vcpu-1gb, fargate-1vcpu-2gb, or give a price per instance-hour (fleet-usd-per-hour)',
  ],
  [
    { 'fleet-usd-per-hour': 'Infinity' },
    'fleet price ($/h) "Infinity" is not a number: give a number from 0.0001 to 1000',
  ],
  [{ memory: '100' }, 'memory (MB) 100 is out of range: give a whole number from 128 to 10240'],
  [{ memory: '1769.5' }, 'memory (MB) 1769.5 is not a whole number: give a whole number from 128 to 10240'],
  [{ arch: 'sparc' }, 'architecture "sparc" is not one of x86_64, arm64'],
])('bad workload input %j is refused: %s', (text, message) => {
  expect(parseWorkload(text)).toEqual({ ok: false, problems: [message] });
});

test('several problems are all named, and a good workload round-trips through its text', () => {
  expect(parseWorkload({ 'orders-per-day': 'x', arch: 'mips' })).toEqual({
    ok: false,
    problems: [
      'orders per day "x" is not a number: give a number from 1 to 1000000000',
      'architecture "mips" is not one of x86_64, arm64',
    ],
  });
  const parsed = parseWorkload({
    'orders-per-day': '20000',
    fleet: '3xfargate-1vcpu-2gb',
    arch: 'x86_64',
    memory: '1024',
  });
  expect(parsed).toMatchObject({ ok: true, fleet: { usdPerHour: 0.04937 } });
  if (!parsed.ok) throw new Error('expected a workload');
  expect(parsed.workload).toMatchObject({ ordersPerDay: 20_000, fleetMinimum: 3, memoryMb: 1024 });
  expect(parseWorkload(workloadText(parsed.workload))).toEqual(parsed);
  const own = parseWorkload({ 'fleet-usd-per-hour': '0.1' });
  expect(own).toMatchObject({ ok: true, fleet: { usdPerHour: 0.1, label: 'your instance at $0.1/h' } });
  expect(parseWorkload({})).toMatchObject({ ok: true, workload: DEFAULT_WORKLOAD });
});
