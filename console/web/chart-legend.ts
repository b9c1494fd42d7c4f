/**
 * The chart's legend, drawn by the page instead of uPlot's (which shows `--` for every value when the pointer is
 * off the chart): the bucket under the pointer while hovering, else the last bucket.
 */

import type { MetricsBucket } from '../console-types';
import { byId, clock, el } from './dom';

export const SERIES = [
  { key: 'invocations', label: 'invocations', stroke: '#6639ba' },
  { key: 'errors', label: 'errors', stroke: '#a40e26' },
  { key: 'throttles', label: 'throttles', stroke: '#7d4e00' },
  { key: 'concurrency', label: 'concurrency', stroke: '#0550ae' },
] as const;

export function renderLegend(buckets: MetricsBucket[], hovered: number | null | undefined, bucketSeconds: number) {
  const legend = byId('chart-legend');
  const index = hovered ?? buckets.length - 1;
  const bucket = buckets[index];
  if (!bucket) {
    legend.dataset.showing = 'none';
    legend.replaceChildren('no bucket yet');
    return;
  }
  const which = hovered == null ? 'last bucket' : 'bucket';
  legend.dataset.showing = hovered == null ? 'last' : 'hover';
  legend.replaceChildren(
    el('span', { class: 'legend-when' }, `${which} ${clock(new Date(bucket.t).toISOString())} (${bucketSeconds} s):`),
    ...SERIES.map((s) =>
      el(
        'span',
        { class: 'legend-item', 'data-series': s.key },
        el('span', { class: 'swatch', 'data-stroke': s.stroke }),
        `${s.label} `,
        el('b', {}, String(bucket[s.key])),
      ),
    ),
  );
  for (const swatch of legend.querySelectorAll<HTMLElement>('.swatch'))
    swatch.style.background = swatch.dataset.stroke ?? '';
}
