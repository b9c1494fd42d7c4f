/** The benchmark's results: their shape (also the JSON file's) and the table printed at the end. */

import type { GrowthRow, ThroughputResult } from './throughput';

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  durationS?: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; arch: string };
  reps: number;
  throughput?: ThroughputResult;
  growth?: GrowthRow[];
}

interface Row {
  measure: string;
  shopflow: string;
  baseline: string;
  target: string;
  verdict: string;
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'met' : 'MISSED';
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderReport(results: BenchResults): string {
  const rows: Row[] = [];
  const t = results.throughput;
  if (t) {
    rows.push({
      measure: `throughput, ${t.concurrency} in flight (orders/s)`,
      shopflow: String(t.medianShopflow),
      baseline: String(t.medianBaseline),
      target: '>= 0.8 x baseline',
      verdict: `${t.ratio} x, ${verdict(t.ratio >= 0.8)}`,
    });
    rows.push({ measure: 'order latency p50 / p95 (ms)', shopflow: `${t.shopflowLatencyP50Ms} / ${t.shopflowLatencyP95Ms}`, baseline: `${t.baselineLatencyP50Ms} / ${t.baselineLatencyP95Ms}`, target: '', verdict: '' });
  }
  const m = results.machine;
  const parts = [
    `ShopFlow benchmark: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}; medians of ${results.reps} repetition(s)`,
    '',
    table(['measure', 'ShopFlow', 'baseline', 'target', 'result'], rows.map((r) => [r.measure, r.shopflow, r.baseline, r.target, r.verdict])),
  ];
  if (results.growth) {
    parts.push('', 'Growth (ShopFlow, one local worker, instant services):');
    parts.push(table(['in flight', 'orders', 'orders/s', 'p50 ms', 'p95 ms'], results.growth.map((g) => [g.concurrency, g.orders, g.ordersPerSecond, g.latencyP50Ms, g.latencyP95Ms].map(String))));
  }
  return parts.join('\n');
}
