/** The Lambda chart (uPlot, bundled from npm): invocations, errors, throttles and concurrency per bucket. */

import uPlot from 'uplot';
import type { MetricsView } from '../console-types';
import { SERIES, renderLegend } from './chart-legend';
import { byId, clock } from './dom';

let plot: uPlot | undefined;
let latest: MetricsView | undefined;

/** The chart fills its box: fixed in the full view, whatever the act's layout leaves in the presenter view. */
function size(): { width: number; height: number } {
  const box = byId('chart');
  return { width: Math.max(280, box.clientWidth), height: Math.max(140, box.clientHeight) };
}

/** Axis text as large as the page's smallest (the projector's minimum font size). */
function axisPx(): number {
  const small = getComputedStyle(document.body).getPropertyValue('--small');
  const probe = document.createElement('span');
  probe.style.fontSize = small || '15px';
  document.body.append(probe);
  const px = parseFloat(getComputedStyle(probe).fontSize) || 15;
  probe.remove();
  return Math.round(px);
}

/** Bucket times as the rest of the page writes them (24 h, with seconds). */
function timeLabels(_u: uPlot, splits: number[]): string[] {
  return splits.map((s) => clock(new Date(s * 1000).toISOString()));
}

export function renderChart(metrics: MetricsView): void {
  latest = metrics;
  const b = metrics.buckets;
  const data: uPlot.AlignedData = [b.map((x) => x.t / 1000), ...SERIES.map((s) => b.map((x) => x[s.key]))];
  byId('chart-title').textContent = `${metrics.functionName}, per ${metrics.bucketSeconds} s (${metrics.source})`;
  const total = b.reduce((sum, x) => sum + x.invocations, 0);
  const last = b[b.length - 1];
  const summary = byId('chart-summary');
  summary.textContent =
    `${total} invocation(s) on the chart` + (metrics.error ? ` (error reading metrics: ${metrics.error})` : '');
  summary.dataset.totalInvocations = String(total);
  summary.dataset.lastInvocations = String(last?.invocations ?? 0);
  summary.dataset.lastConcurrency = String(last?.concurrency ?? 0);
  if (plot) {
    plot.setData(data);
    renderLegend(b, plot.cursor.idx, metrics.bucketSeconds);
    return;
  }
  const px = axisPx();
  const font = `${px}px system-ui, sans-serif`;
  const axis = { font, labelFont: font, stroke: '#1f2328', grid: { stroke: '#d0d7de' } };
  plot = new uPlot(
    {
      ...size(),
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(2, max)] } },
      series: [
        {},
        ...SERIES.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: 3,
          ...(s.key === 'invocations' && { fill: 'rgba(102,57,186,.12)' }),
          ...(s.key === 'concurrency' && { dash: [8, 5] }),
        })),
      ],
      axes: [
        { ...axis, values: timeLabels, size: px * 2 + 12, space: px * 6 },
        {
          ...axis,
          label: 'per bucket',
          labelSize: px + 8,
          size: px * 2.5 + 12,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500],
        },
      ],
      hooks: {
        setCursor: [(u) => latest && renderLegend(latest.buckets, u.cursor.idx, latest.bucketSeconds)],
      },
    },
    data,
    byId('chart'),
  );
  renderLegend(b, undefined, metrics.bucketSeconds);
  // A layout change (another act, a panel opened) resizes the box; the chart follows.
  new ResizeObserver(() => plot?.setSize(size())).observe(byId('chart'));
}
