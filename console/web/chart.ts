/** The Lambda chart (uPlot, bundled from npm): invocations, errors, throttles and concurrency per bucket. */

import uPlot from 'uplot';
import type { MetricsView } from '../console-types';
import { byId } from './dom';

let plot: uPlot | undefined;

function size(): { width: number; height: number } {
  return { width: Math.max(320, byId('chart').clientWidth - 4), height: 220 };
}

export function renderChart(metrics: MetricsView): void {
  const b = metrics.buckets;
  const data: uPlot.AlignedData = [
    b.map((x) => x.t / 1000),
    b.map((x) => x.invocations),
    b.map((x) => x.errors),
    b.map((x) => x.throttles),
    b.map((x) => x.concurrency),
  ];
  byId('chart-title').textContent = `${metrics.functionName}, per ${metrics.bucketSeconds} s (${metrics.source})`;
  const total = b.reduce((sum, x) => sum + x.invocations, 0);
  const last = b[b.length - 1];
  const summary = byId('chart-summary');
  summary.textContent =
    `${total} invocation(s) in the window; ` +
    `last bucket: ${last?.invocations ?? 0} invocation(s), concurrency ${last?.concurrency ?? 0}` +
    (metrics.error ? ` (error: ${metrics.error})` : '');
  summary.dataset.totalInvocations = String(total);
  summary.dataset.lastInvocations = String(last?.invocations ?? 0);
  summary.dataset.lastConcurrency = String(last?.concurrency ?? 0);
  if (plot) {
    plot.setData(data);
    return;
  }
  plot = new uPlot(
    {
      ...size(),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(2, max)] } },
      series: [
        {},
        { label: 'invocations', stroke: '#8250df', width: 2, fill: 'rgba(130,80,223,.12)' },
        { label: 'errors', stroke: '#cf222e', width: 2 },
        { label: 'throttles', stroke: '#bf8700', width: 2 },
        { label: 'concurrency', stroke: '#0969da', width: 2, dash: [6, 4] },
      ],
      axes: [{}, { label: 'per bucket', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }],
    },
    data,
    byId('chart'),
  );
  window.addEventListener('resize', () => plot?.setSize(size()));
}
