/**
 * "Your workload": the audience's own traffic priced both ways as the presenter types (cost/cost-model.ts, the
 * same model as `npm run cost`). The inputs live in the URL, so a presenter prepares one link per customer; bad
 * input is refused naming the field and its range, and the last good answer stays on screen.
 */

import uPlot from 'uplot';
import measured from '../../config/measured-traffic.json';
import { ALWAYS_ON_INSTANCES } from '../../config/prices';
import { count, usd } from '../../cost/amounts';
import { breakEvenOrdersPerDay, costCurve, costOf } from '../../cost/cost-model';
import type { MeasuredTraffic } from '../../cost/measured-traffic';
import { WORKLOAD_FIELDS, parseWorkload, workloadText, type WorkloadText } from '../../cost/parse-workload';
import { byId, el } from './dom';

const traffic = measured as MeasuredTraffic;
/** The chart's span of orders a day. */
const CURVE_FROM_PER_DAY = 10;
const CURVE_TO_PER_DAY = 10_000_000;
let plot: uPlot | undefined;
let marks: { breakEven?: number; yours: number } = { yours: 0 };

/** Axis labels: powers of ten only, short (10, 1k, 1M; $0.01, $1, $10k). */
function short(n: number, prefix = ''): string {
  const [value, unit] = n >= 1e6 ? [n / 1e6, 'M'] : n >= 1e3 ? [n / 1e3, 'k'] : [n, ''];
  return `${prefix}${value < 1 ? value.toPrecision(1) : Math.round(value)}${unit}`;
}

function powersOfTen(_u: uPlot, splits: number[]): (number | null)[] {
  return splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));
}

/** The inputs' text as the URL holds it (only what differs from the page's defaults is kept there). */
function textFromUrl(): WorkloadText {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(WORKLOAD_FIELDS.flatMap((f) => (params.has(f) ? [[f, params.get(f)!]] : [])));
}

function textFromForm(): WorkloadText {
  const form = byId<HTMLFormElement>('workload-form');
  const text: WorkloadText = {};
  for (const field of WORKLOAD_FIELDS) {
    const input = form.elements.namedItem(field) as HTMLInputElement | HTMLSelectElement | null;
    if (input && input.value.trim() !== '') text[field] = input.value.trim();
  }
  return text;
}

function writeUrl(text: WorkloadText): void {
  const params = new URLSearchParams(location.search);
  for (const field of WORKLOAD_FIELDS) {
    if (text[field] !== undefined) params.set(field, text[field]!);
    else params.delete(field);
  }
  history.replaceState(null, '', `${location.pathname}?${params.toString()}`);
}

function axisPx(): number {
  return parseFloat(getComputedStyle(byId('workload-chart')).fontSize) || 16;
}

/** Both axes: log scales labelled at powers of ten, in the page's font size (large on a projector). */
function chartAxes(): uPlot.Axis[] {
  const px = axisPx();
  const font = `${px}px system-ui, sans-serif`;
  const axis = {
    font,
    labelFont: font,
    stroke: '#1f2328',
    grid: { stroke: '#d0d7de', filter: powersOfTen },
    ticks: { filter: powersOfTen },
  };
  return [
    {
      ...axis,
      label: 'orders a day',
      labelSize: px + 8,
      size: px * 2 + 8,
      filter: powersOfTen,
      values: (_u, v) => v.map((x) => (x == null ? '' : short(x))),
    },
    {
      ...axis,
      label: '$ a month',
      labelSize: px + 8,
      size: px * 3.5 + 8,
      filter: powersOfTen,
      values: (_u, v) => v.map((x) => (x == null ? '' : short(x, '$'))),
    },
  ];
}

/** The crossover and the audience's point, drawn over the curves as dashed vertical lines. */
function drawMarks(u: uPlot): void {
  const ctx = u.ctx;
  const line = (x: number, colour: string) => {
    const left = u.valToPos(x, 'x', true);
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(left, u.bbox.top);
    ctx.lineTo(left, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  };
  if (marks.breakEven) line(marks.breakEven, '#424a53');
  line(marks.yours, '#0550ae');
}

function chartOptions(size: { width: number; height: number }): uPlot.Options {
  return {
    ...size,
    legend: { show: false },
    // Log scales both ways; uPlot does not auto-range a log x scale, so the curve's own span is given.
    scales: {
      x: { time: false, distr: 3, range: () => [CURVE_FROM_PER_DAY, CURVE_TO_PER_DAY] },
      y: {
        distr: 3,
        range: (_u, min, max) => [10 ** Math.floor(Math.log10(min || 0.01)), 10 ** Math.ceil(Math.log10(max || 1))],
      },
    },
    series: [
      {},
      { label: 'serverless', stroke: '#116329', width: 3, points: { show: false } },
      { label: 'always-on fleet', stroke: '#a40e26', width: 3, dash: [8, 5], points: { show: false } },
    ],
    axes: chartAxes(),
    hooks: { draw: [drawMarks] },
  };
}

function drawChart(data: uPlot.AlignedData): void {
  const box = byId('workload-chart');
  const size = { width: Math.max(260, box.clientWidth), height: Math.max(140, box.clientHeight) };
  if (plot) {
    plot.setData(data);
    return;
  }
  plot = new uPlot(chartOptions(size), data, box);
  new ResizeObserver(() => {
    const b = byId('workload-chart');
    plot?.setSize({ width: Math.max(260, b.clientWidth), height: Math.max(140, b.clientHeight) });
  }).observe(box);
}

function update(fromUrl: boolean): void {
  const text = fromUrl ? textFromUrl() : textFromForm();
  const parsed = parseWorkload(text);
  const problems = byId('workload-problems');
  const form = byId<HTMLFormElement>('workload-form');
  for (const field of WORKLOAD_FIELDS)
    (form.elements.namedItem(field) as HTMLElement | null)?.removeAttribute('aria-invalid');
  if (!parsed.ok) {
    problems.replaceChildren(...parsed.problems.map((p) => el('div', {}, p)));
    problems.hidden = false;
    byId('workload').dataset.valid = 'no';
    for (const p of parsed.problems) {
      const field = WORKLOAD_FIELDS.find((f) => p.startsWith(FIELD_WORDS[f]));
      if (field) (form.elements.namedItem(field) as HTMLElement | null)?.setAttribute('aria-invalid', 'true');
    }
    return; // the last good answer stays
  }
  problems.hidden = true;
  byId('workload').dataset.valid = 'yes';
  if (fromUrl) fillForm(workloadText(parsed.workload));
  else writeUrl(text);
  const { workload, fleet } = parsed;
  const a = costOf(workload, fleet, traffic);
  const even = breakEvenOrdersPerDay(workload, fleet, traffic);
  const answer = byId('workload-answer');
  answer.dataset.serverlessUsd = a.serverless.usdPerMonth.toFixed(4);
  answer.dataset.alwaysOnUsd = a.alwaysOn.usdPerMonth.toFixed(4);
  answer.dataset.breakEven = even === undefined ? 'none' : even.toFixed(0);
  answer.dataset.cheaper = a.cheaper;
  answer.replaceChildren(
    el(
      'div',
      { 'data-answer': 'serverless' },
      `Serverless worker, a month:`,
      el('b', {}, usd(a.serverless.usdPerMonth)),
    ),
    el(
      'div',
      { 'data-answer': 'fleet' },
      `${a.alwaysOn.instances} × ${fleet.label}, always on:`,
      el('b', {}, usd(a.alwaysOn.usdPerMonth)),
    ),
    el(
      'p',
      { 'data-answer': 'idle' },
      `Idle capacity paid for: `,
      el('b', {}, `${usd(a.alwaysOn.idleUsdPerMonth)} a month`),
      ` (${((1 - a.alwaysOn.utilisation) * 100).toPrecision(3)}% of the fleet's bill).`,
    ),
    el(
      'p',
      { 'data-answer': 'verdict', class: a.cheaper === 'serverless' ? 'ok' : 'warn' },
      a.cheaper === 'serverless'
        ? `Serverless is cheaper by ${usd(a.savingUsdPerMonth)} a month.`
        : `Here the always-on fleet is cheaper, by ${usd(a.savingUsdPerMonth)} a month: steady volume keeps it busy enough.`,
      even === undefined
        ? ' No break-even between 1 and 10⁹ orders a day.'
        : ` Break-even: about ${count(even)} orders a day.`,
      ` Latency at your ${count(a.ordersPerMinute)} orders/min: p50 ${(a.perOrder.latencyP50Ms / 1000).toFixed(1)} s.`,
    ),
  );
  byId('workload-formulas').replaceChildren(
    ...a.formulas.map((f) => el('div', { class: 'formula' }, f)),
    el(
      'div',
      { class: 'muted' },
      `Measured: ${traffic.command} on ${traffic.date} (${traffic.commit}, ${traffic.machine}).`,
    ),
  );
  const curve = costCurve(workload, fleet, traffic, CURVE_FROM_PER_DAY, CURVE_TO_PER_DAY, 61);
  marks = { breakEven: even, yours: workload.ordersPerDay };
  drawChart([curve.map((p) => p.ordersPerDay), curve.map((p) => p.serverlessUsd), curve.map((p) => p.alwaysOnUsd)]);
  plot?.redraw();
}

/** How each field's problems begin (cost/parse-workload.ts), to mark the input they name. */
const FIELD_WORDS: Record<(typeof WORKLOAD_FIELDS)[number], string> = {
  'orders-per-day': 'orders per day',
  'busy-hours': 'busy hours',
  'peak-factor': 'peak factor',
  fleet: 'fleet',
  'fleet-usd-per-hour': 'fleet price',
  memory: 'memory',
  arch: 'architecture',
};

function fillForm(text: WorkloadText): void {
  const form = byId<HTMLFormElement>('workload-form');
  for (const field of WORKLOAD_FIELDS) {
    const input = form.elements.namedItem(field) as HTMLInputElement | HTMLSelectElement | null;
    if (input) input.value = text[field] ?? '';
  }
}

export function setUpWorkloadPanel(): void {
  const instances = byId<HTMLDataListElement>('workload-instances');
  instances.replaceChildren(
    ...ALWAYS_ON_INSTANCES.map((i) => el('option', { value: `2x${i.name}` }, `${i.label}, $${i.usdPerHour}/h`)),
  );
  const form = byId<HTMLFormElement>('workload-form');
  form.addEventListener('input', () => update(false));
  form.addEventListener('submit', (event) => event.preventDefault());
  update(true);
}
