/**
 * The workload answer as text, for `npm run cost` and the demo's summary: monthly cost both ways, the idle capacity
 * paid for, the break-even, latency at the audience's rate, and a text chart of both curves (log scale of orders a
 * day) with the crossover and the audience's point marked. Honest past the break-even: there the fleet is cheaper.
 */

import { DEFAULT_WORKLOAD, type Workload } from '../config/workload';
import { count, usd } from './amounts';
import { breakEvenOrdersPerDay, costCurve, costOf, type FleetPrice } from './cost-model';
import { loadMeasuredTraffic } from './load-measured-traffic';
import type { MeasuredTraffic } from './measured-traffic';
import { parseWorkload, workloadText } from './parse-workload';

/** Monthly cost against orders a day: one row per decade step, `L` the serverless cost, `F` the fleet's. */
export function textChart(workload: Workload, fleet: FleetPrice, traffic: MeasuredTraffic, width = 48): string[] {
  const curve = costCurve(workload, fleet, traffic, 10, 10_000_000, 13);
  const top = Math.max(...curve.flatMap((p) => [p.serverlessUsd, p.alwaysOnUsd]));
  const bottom = Math.min(...curve.flatMap((p) => [p.serverlessUsd, p.alwaysOnUsd]).filter((v) => v > 0));
  const [lo, hi] = [Math.log10(bottom), Math.log10(top)];
  const col = (v: number) => Math.round(((Math.log10(Math.max(v, bottom)) - lo) / (hi - lo || 1)) * (width - 1));
  const even = breakEvenOrdersPerDay(workload, fleet, traffic);
  const lines = [
    `  orders/day   monthly cost, log scale ${usd(bottom)} .. ${usd(top)}  (L serverless, F always-on fleet)`,
  ];
  let crossed = false;
  for (const p of curve) {
    const row = Array.from({ length: width }, () => ' ');
    row[col(p.alwaysOnUsd)] = 'F';
    row[col(p.serverlessUsd)] = row[col(p.serverlessUsd)] === 'F' ? '*' : 'L';
    const here = Math.abs(Math.log10(p.ordersPerDay / workload.ordersPerDay)) < 0.25 ? '  <- your workload' : '';
    const cross = even !== undefined && !crossed && p.ordersPerDay >= even ? `  <- break-even ~${count(even)}/day` : '';
    if (cross) crossed = true;
    lines.push(`  ${count(p.ordersPerDay).padStart(10)} |${row.join('')}|${here}${cross}`);
  }
  return lines;
}

export function formatCostAnswer(workload: Workload, fleet: FleetPrice, traffic: MeasuredTraffic): string[] {
  const a = costOf(workload, fleet, traffic);
  const even = breakEvenOrdersPerDay(workload, fleet, traffic);
  const verdict =
    a.cheaper === 'serverless'
      ? `Serverless is cheaper by ${usd(a.savingUsdPerMonth)} a month.`
      : `Here an always-on fleet is cheaper, by ${usd(a.savingUsdPerMonth)} a month: at this steady volume the fleet is busy enough to pay for itself.`;
  const evenLine =
    even === undefined
      ? 'Break-even: none between 1 and 10^9 orders a day (one side is cheaper throughout).'
      : `Break-even: about ${count(even)} orders a day; below it serverless costs less, above it the always-on fleet does.`;
  return [
    `How much are you spending on idle worker capacity? ${count(workload.ordersPerDay)} orders a day over ${workload.busyHoursPerDay} busy hours, peak x${workload.peakFactor}:`,
    `  Serverless worker (Lambda ${workload.architecture}, ${workload.memoryMb} MB): ${usd(a.serverless.usdPerMonth)} a month (${usd(a.serverless.usdPerOrder)} an order)`,
    `  Always-on fleet (${a.alwaysOn.instances} x ${fleet.label}): ${usd(a.alwaysOn.usdPerMonth)} a month, ${(a.alwaysOn.utilisation * 100).toPrecision(2)}% used`,
    `  Idle capacity paid for: ${usd(a.alwaysOn.idleUsdPerMonth)} a month (${((1 - a.alwaysOn.utilisation) * 100).toPrecision(3)}% of the fleet's bill)`,
    `  ${verdict}`,
    `  ${evenLine}`,
    `  Latency at your rate (${a.ordersPerMinute.toPrecision(3)} orders/min): p50 ${(a.perOrder.latencyP50Ms / 1000).toFixed(1)} s, p95 ${(a.perOrder.latencyP95Ms / 1000).toFixed(1)} s (${a.perOrder.basis})`,
    '',
    ...textChart(workload, fleet, traffic),
    '',
    '  How it is computed:',
    ...a.formulas.map((f) => `    ${f}`),
    `  Measured: ${traffic.command} on ${traffic.date} (${traffic.commit}, ${traffic.machine}).`,
  ];
}

/** The demo's closing answer: the default workload, without the chart, and the command for the audience's own. */
export function defaultWorkloadAnswer(): string[] {
  const parsed = parseWorkload(workloadText(DEFAULT_WORKLOAD));
  if (!parsed.ok) throw new Error(`config/workload.ts DEFAULT_WORKLOAD is refused: ${parsed.problems.join('; ')}`);
  const lines = formatCostAnswer(parsed.workload, parsed.fleet, loadMeasuredTraffic());
  return [
    ...lines.slice(0, lines.indexOf('')),
    '  Your own numbers: npm run cost -- --orders-per-day N --busy-hours H --peak-factor P --fleet 2xt3.small',
    `  (or the console's "Your workload" panel, whose URL keeps them)`,
  ];
}
