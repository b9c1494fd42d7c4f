/** The arrival-rates section's table: each rate's per-order figures beside the lone order's (the slowest rate). */

import type { ArrivalRatesResult } from './arrival-rates';
import type { RateFigures } from './traffic-figures';

function rateLabel(ordersPerMinute: number): string {
  return ordersPerMinute >= 60 && ordersPerMinute % 60 === 0 ? `${ordersPerMinute / 60}/s` : `${ordersPerMinute}/min`;
}

/** "value (lone: baseline)", or just the value on the lone order's own row. */
function beside(value: number | string, baseline: number | string, isBaseline: boolean): string {
  return isBaseline ? `${value} (baseline)` : `${value} (lone: ${baseline})`;
}

export function renderArrivalRates(
  result: ArrivalRatesResult,
  table: (headers: string[], rows: string[][]) => string,
): string {
  const parts = [
    `Cost per order by arrival rate (happy orders, realistic latency, no local worker: the Lambda alone; ` +
      `${result.windowS} s per rate, the slowest stretched to its minimum orders; baseline: the lone order, the slowest rate):`,
  ];
  for (const fn of result.functions) {
    const lone = [...fn.rates].sort((a, b) => a.ordersPerMinute - b.ordersPerMinute)[0];
    const latency = (r: RateFigures) => `${r.latencyP50Ms} / ${r.latencyP95Ms}`;
    const rows = fn.rates.map((r) => {
      const isLone = r === lone;
      return [
        rateLabel(r.ordersPerMinute),
        `${r.completed}/${r.orders} in ${r.windowS} s`,
        beside(r.gbSecondsPerOrder, lone.gbSecondsPerOrder, isLone),
        beside(r.invocationsPerOrder, lone.invocationsPerOrder, isLone),
        beside(r.coldStartsPerOrder, lone.coldStartsPerOrder, isLone),
        beside(r.initGbSecondsPerOrder, lone.initGbSecondsPerOrder, isLone),
        beside(latency(r), latency(lone), isLone),
        r.completed === r.orders ? 'all completed: met' : 'not all completed: MISSED',
      ];
    });
    parts.push(
      `${fn.memoryMb} MB ${fn.architecture}:`,
      table(
        [
          'rate',
          'completed',
          'GB-s / order',
          'invocations / order',
          'cold starts / order',
          'INIT GB-s / order',
          'latency p50 / p95 ms',
          'result',
        ],
        rows,
      ),
    );
  }
  const w = result.alwaysOnWorker;
  parts.push(
    `Always-on side: one local worker, realistic latency: ${w.ordersPerSecond} orders/s at ${w.concurrency} in flight ` +
      `(p50 ${w.latencyP50Ms} ms, p95 ${w.latencyP95Ms} ms; ` +
      `${w.steps.map((s) => `${s.concurrency}: ${s.ordersPerSecond}/s`).join(', ')})`,
  );
  return parts.join('\n');
}
